#include "core/codec/json_parse.h"

// Strings are scanned 16 bytes at a time where the CPU has SSE2 (every
// x86-64 does); RapidJSON leaves that to the includer.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif
#include <rapidjson/reader.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/codec/json_text.h"

namespace thrift_call::codec {

namespace {

// Deeper nesting is left to nlohmann (and then to the encoder's own limit).
constexpr size_t kMaxDepth = 256;

// RapidJSON's SAX events straight into the nlohmann tree: no second tree in
// between. Returning false stops the parse; the caller then asks nlohmann.
class TreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
 public:
  Json root;

  bool Null() { return place(nullptr); }
  bool Bool(bool b) { return place(b); }
  // Numbers come as text (kParseNumbersAsStringsFlag): RapidJSON 1.1's own
  // conversion gets some doubles wrong (184467440737095516156 read as
  // 1.7e-18 with its full-precision flag). from_chars rounds correctly, as
  // nlohmann's strtod does. As nlohmann types them: integers unsigned when
  // not negative, signed when negative, doubles past 64 bits; a number out
  // of a double's range is left to nlohmann, which says so.
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    const char* end = text + length;
    if (std::find_if(text, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) == end) {
      if (text[0] != '-') {
        if (uint64_t u; std::from_chars(text, end, u).ec == std::errc()) return place(u);
      } else if (int64_t i; std::from_chars(text, end, i).ec == std::errc()) {
        return place(i);
      }
    }
    double d;
    auto [stop, error] = std::from_chars(text, end, d);
    return error == std::errc() && stop == end && place(d);
  }
  // RapidJSON's own UTF-8 check reads a byte at a time and turns off its
  // SIMD string scan, so strings are checked here instead.
  bool String(const char* text, rapidjson::SizeType length, bool) {
    std::string_view bytes(text, length);
    return is_valid_utf8(bytes) && place(std::string(bytes));
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    key_.assign(text, length);
    return is_valid_utf8(key_);
  }
  bool StartObject() { return open(Json::object()); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(Json::array()); }
  bool EndArray(rapidjson::SizeType) { return close(); }

 private:
  template <typename V>
  bool place(V&& value) {
    slot() = std::forward<V>(value);
    return true;
  }
  // Where the next value goes: the root, the end of the open array, or the
  // open object's member under the last key (a repeated key keeps the last
  // value, as nlohmann does).
  Json& slot() {
    if (depth_ == 0) return root;
    Json& parent = *open_[depth_ - 1];
    if (parent.is_array()) return parent.emplace_back();
    return parent[key_];
  }
  bool open(Json&& container) {
    if (depth_ >= kMaxDepth) return false;
    Json& placed = slot();
    placed = std::move(container);
    open_[depth_++] = &placed;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }

  // The open objects and arrays, innermost last (a fixed array: parsing a
  // call's arguments allocates only for the tree itself).
  std::array<Json*, kMaxDepth> open_;
  size_t depth_ = 0;
  std::string key_;
};

// Where the text holds its first control byte that JSON never allows
// unescaped (all but tab, newline and carriage return, which may stand
// between tokens), or npos. RapidJSON 1.1's SSE2 string scan lets 0x1a-0x1f
// through inside strings, and both parsers take a NUL for the end of input.
size_t first_forbidden_control_byte(std::string_view text) {
  auto forbidden = [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r';
  };
  size_t i = 0;
  // Eight bytes at a time: a word with no byte under 0x20 is passed over.
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighBits = 0x8080808080808080ULL;
  for (uint64_t word; i + sizeof word <= text.size(); i += sizeof word) {
    std::memcpy(&word, text.data() + i, sizeof word);
    if (((word - kOnes * 0x20) & ~word & kHighBits) == 0) continue;
    for (size_t k = i; k < i + sizeof word; ++k)
      if (forbidden(text[k])) return k;
  }
  for (; i < text.size(); ++i)
    if (forbidden(text[i])) return i;
  return std::string_view::npos;
}

}  // namespace

Json parse_json(std::string_view text) {
  if (size_t bad = first_forbidden_control_byte(text); bad != std::string_view::npos) {
    // A NUL byte is never valid JSON (not even inside a string), but nlohmann
    // would stop at it and drop whatever follows.
    if (text[bad] == '\0')
      throw nlohmann::json::parse_error::create(101, bad + 1, "syntax error while parsing value - unexpected NUL byte",
                                                nullptr);
    return Json::parse(text);  // it finds and names the byte
  }
  TreeBuilder builder;
  // Kept: its stack (where it copies strings) is then allocated once.
  thread_local rapidjson::Reader reader;
  // StringStream, unlike MemoryStream, has the SIMD string scan. It stops at
  // the first NUL, and reads whole aligned 16-byte blocks, so up to 15 bytes
  // past it: those are padding of our own.
  constexpr size_t kSimdPadding = 16;
  // Kept too, up to a size, for a batch's next line.
  constexpr size_t kKeptPadded = 64 * 1024;
  thread_local std::string padded;
  padded.assign(text).append(kSimdPadding, '\0');
  rapidjson::StringStream stream(padded.c_str());
  constexpr unsigned kFlags = rapidjson::kParseNumbersAsStringsFlag;
  bool parsed = !reader.Parse<kFlags>(stream, builder).IsError();
  if (padded.capacity() > kKeptPadded) std::string().swap(padded);
  return parsed ? std::move(builder.root) : Json::parse(text);
}

}  // namespace thrift_call::codec
