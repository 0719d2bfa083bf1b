#include "core/codec/json_parse.h"

// Strings are scanned 16 bytes at a time where the CPU has SSE2 (every
// x86-64 does); RapidJSON leaves that to the includer.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif
#include <rapidjson/reader.h>

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
  bool Int(int i) { return place(static_cast<int64_t>(i)); }
  bool Uint(unsigned u) { return place(static_cast<int64_t>(u)); }
  bool Int64(int64_t i) { return place(i); }
  // Signed where it fits, as nlohmann's own parser stores it.
  bool Uint64(uint64_t u) {
    return u <= static_cast<uint64_t>(INT64_MAX) ? place(static_cast<int64_t>(u)) : place(u);
  }
  bool Double(double d) { return place(d); }
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
    if (open_.empty()) return root;
    Json& parent = *open_.back();
    if (parent.is_array()) return parent.emplace_back();
    return parent[key_];
  }
  bool open(Json&& container) {
    if (open_.size() >= kMaxDepth) return false;
    Json& placed = slot();
    placed = std::move(container);
    open_.push_back(&placed);
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  std::vector<Json*> open_;
  std::string key_;
};

}  // namespace

Json parse_json(std::string_view text) {
  // A NUL byte is never valid JSON (not even inside a string), but both
  // RapidJSON and nlohmann take it for the end of input and would drop
  // whatever follows it.
  if (size_t nul = text.find('\0'); nul != std::string_view::npos)
    throw nlohmann::json::parse_error::create(101, nul + 1, "syntax error while parsing value - unexpected NUL byte",
                                              nullptr);
  TreeBuilder builder;
  rapidjson::Reader reader;
  // StringStream, unlike MemoryStream, has the SIMD string scan. It stops at
  // the first NUL, and reads whole aligned 16-byte blocks, so up to 15 bytes
  // past it: those are padding of our own.
  constexpr size_t kSimdPadding = 16;
  std::string padded;
  padded.reserve(text.size() + kSimdPadding);
  padded.append(text).append(kSimdPadding, '\0');
  rapidjson::StringStream stream(padded.c_str());
  constexpr unsigned kFlags = rapidjson::kParseFullPrecisionFlag;
  if (!reader.Parse<kFlags>(stream, builder).IsError()) return std::move(builder.root);
  return Json::parse(text);
}

}  // namespace thrift_call::codec
