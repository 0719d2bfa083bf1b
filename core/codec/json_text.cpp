#include "core/codec/json_text.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/codec/base64.h"
#include "base/utf8.h"

namespace thrift_call::codec {

namespace {

const char kHex[] = "0123456789abcdef";

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size();) {
    // Mostly ASCII in practice: eight bytes at a time while no high bit is set.
    uint64_t word;
    if (bytes.size() - i >= sizeof word) {
      std::memcpy(&word, bytes.data() + i, sizeof word);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += sizeof word;
        continue;
      }
    }
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {  // the tail of a short ASCII string
      ++i;
      continue;
    }
    size_t n = utf8_sequence(bytes, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void JsonText::integer(int64_t v) {
  separator();
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, res.ptr);
}

void JsonText::number(double v) {
  separator();
  if (std::isnan(v)) {
    out_.append("\"NaN\"");
  } else if (std::isinf(v)) {
    out_.append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    std::string_view text(buf, static_cast<size_t>(res.ptr - buf));
    out_.append(text);
    // Keep doubles recognisable as such: 1.0, not 1.
    if (text.find_first_of(".eE") == std::string_view::npos) out_.append(".0");
  }
}

void JsonText::base64(std::string_view bytes) {
  separator();
  out_.push_back('"');
  base64_encode(bytes, out_);
  out_.push_back('"');
}

void JsonText::write_string_body(std::string_view v) {
  out_.push_back('"');
  size_t run = 0;  // start of the pending run of bytes copied as they are
  for (size_t i = 0; i < v.size();) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t n = utf8_sequence(v, i);
      if (n > 0) {
        i += n;
        continue;
      }
    }
    out_.append(v.data() + run, i - run);
    switch (c) {
      case '"': out_.append("\\\""); break;
      case '\\': out_.append("\\\\"); break;
      case '\n': out_.append("\\n"); break;
      case '\r': out_.append("\\r"); break;
      case '\t': out_.append("\\t"); break;
      case '\b': out_.append("\\b"); break;
      case '\f': out_.append("\\f"); break;
      default:
        if (c < 0x20 || utf8_ == Utf8Policy::Latin1) {
          out_.append("\\u00");
          out_.push_back(kHex[c >> 4]);
          out_.push_back(kHex[c & 15]);
        } else {
          out_.append("\xEF\xBF\xBD");  // U+FFFD
        }
    }
    ++i;
    run = i;
  }
  out_.append(v.data() + run, v.size() - run);
  out_.push_back('"');
}

}  // namespace thrift_call::codec
