#include "core/codec/json_text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/codec/base64.h"
#include "base/utf8.h"

namespace thrift_call::codec {

namespace {

const char kHex[] = "0123456789abcdef";

bool plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

// How many bytes from the start of `text` are printable ASCII that JSON
// takes as they are: 16 at a time where there is SSE2 (every x86-64).
size_t plain_prefix(std::string_view text) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
  for (; i + 16 <= text.size(); i += 16) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    // Signed: under 0x20 is a control byte, or 0x80 and up (UTF-8).
    __m128i special = _mm_or_si128(_mm_cmpgt_epi8(space, bytes),
                                   _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
    if (int mask = _mm_movemask_epi8(special)) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  while (i < text.size() && plain(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}

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
  // (pointer, length): append(first, last) takes basic_string's general
  // replace path, several times slower for a few bytes.
  out_.append(buf, static_cast<size_t>(res.ptr - buf));
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
    i += plain_prefix(v.substr(i));
    if (i == v.size()) break;
    unsigned char c = static_cast<unsigned char>(v[i]);
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
