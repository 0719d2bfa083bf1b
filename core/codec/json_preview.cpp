#include "core/codec/json_preview.h"

namespace thrift_call::codec {

namespace {

// Writes `value` to `out` until `out` is longer than `stop`. Recursion ends
// there too: each level writes a byte at least, so it goes at most `stop`
// levels deep.
void write(const Json& value, std::string& out, size_t stop) {
  if (out.size() > stop) return;
  switch (value.type()) {
    case Json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = value.begin(); it != value.end() && out.size() <= stop; ++it) {
        if (!first) out.push_back(',');
        first = false;
        write(Json(it.key().substr(0, stop + 1)), out, stop);
        out.push_back(':');
        write(it.value(), out, stop);
      }
      out.push_back('}');
      return;
    }
    case Json::value_t::array: {
      out.push_back('[');
      for (size_t i = 0; i < value.size() && out.size() <= stop; ++i) {
        if (i) out.push_back(',');
        write(value[i], out, stop);
      }
      out.push_back(']');
      return;
    }
    case Json::value_t::string: {
      // Only as much of a long string as can be shown.
      const std::string& text = value.get_ref<const std::string&>();
      if (text.size() > stop) {
        out += Json(text.substr(0, stop + 1)).dump(-1, ' ', false, Json::error_handler_t::replace);
      } else {
        out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
      }
      return;
    }
    default: out += value.dump(); return;
  }
}

}  // namespace

std::string text_preview(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t cut = limit < 3 ? 0 : limit - 3;
  // Not inside a UTF-8 sequence: back to the byte that starts it.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

std::string json_preview(const Json& value, size_t limit) {
  std::string out;
  write(value, out, limit);
  return text_preview(out, limit);
}

}  // namespace thrift_call::codec
