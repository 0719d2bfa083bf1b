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

// nlohmann's tree builder, stopped once it holds more text than a preview
// shows: the preview of what it built is the preview of the whole value.
class BoundedTree {
 public:
  BoundedTree(Json& root, size_t budget) : tree_(root, false), budget_(budget) {}
  bool null() { return tree_.null() && spend(4); }
  bool boolean(bool b) { return tree_.boolean(b) && spend(5); }
  bool number_integer(Json::number_integer_t n) { return tree_.number_integer(n) && spend(20); }
  bool number_unsigned(Json::number_unsigned_t n) { return tree_.number_unsigned(n) && spend(20); }
  bool number_float(Json::number_float_t n, const Json::string_t& s) { return tree_.number_float(n, s) && spend(20); }
  bool string(Json::string_t& s) { return tree_.string(s) && spend(s.size() + 2); }
  bool binary(Json::binary_t& b) { return tree_.binary(b) && spend(b.size()); }
  bool start_object(std::size_t n) { return tree_.start_object(n) && spend(1); }
  bool key(Json::string_t& k) { return tree_.key(k) && spend(k.size() + 3); }
  bool end_object() { return tree_.end_object(); }
  bool start_array(std::size_t n) { return tree_.start_array(n) && spend(1); }
  bool end_array() { return tree_.end_array(); }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& token, const Exception& e) {
    return tree_.parse_error(position, token, e);
  }

 private:
  bool spend(size_t n) {
    budget_ = n >= budget_ ? 0 : budget_ - n;
    return budget_ > 0;
  }
  nlohmann::detail::json_sax_dom_parser<Json> tree_;
  size_t budget_;
};

}  // namespace

std::string json_text_preview(std::string_view text, size_t limit) {
  Json start;
  BoundedTree builder(start, limit + 8);
  Json::sax_parse(text, &builder, Json::input_format_t::json, false);
  return json_preview(start, limit);
}

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
