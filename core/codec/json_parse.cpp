#include "core/codec/json_parse.h"

// Strings are scanned 16 bytes at a time where the CPU has SSE2 (every
// x86-64 does); RapidJSON leaves that to the includer.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif
#include <rapidjson/memorystream.h>
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

[[noreturn]] void throw_too_deep(size_t offset) {
  // nlohmann's exception, so that callers report it as any other parse
  // error: "at byte N" is the bracket or brace that opens the level too many.
  throw nlohmann::json::parse_error::create(
      101, offset, "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels", nullptr);
}

// RapidJSON's SAX events straight into the nlohmann tree: no second tree in
// between. The tree given is reused: a value whose slot already holds one of
// its type is written over in place (a string keeps its buffer, an object
// its members while their keys come in the same order), so a batch's lines,
// which nearly always share a shape, parse without allocating. Returning
// false stops the parse; the caller then asks nlohmann, unless the nesting
// was too deep (too_deep()).
class TreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
 public:
  explicit TreeBuilder(Json& root) : root_(root) {}

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
    if (!is_valid_utf8(bytes)) return false;
    Json& target = slot();
    if (target.is_string()) {
      target.get_ref<std::string&>().assign(bytes);
    } else {
      target = std::string(bytes);
    }
    return true;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    key_.assign(text, length);
    return is_valid_utf8(key_);
  }
  bool StartObject() { return open(Json::value_t::object); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(Json::value_t::array); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  bool too_deep() const { return too_deep_; }

 private:
  // An open object or array, and how many of its members or elements this
  // parse has filled; those past that are left from the tree's last use.
  struct Open {
    Json* container;
    size_t filled;
  };

  template <typename V>
  bool place(V&& value) {
    slot() = std::forward<V>(value);
    return true;
  }
  // Where the next value goes: the root, the open array's next element, or
  // the open object's member under the last key. A repeated key keeps the
  // last value in the first one's place, as nlohmann does.
  Json& slot() {
    if (depth_ == 0) return root_;
    Open& open = open_[depth_ - 1];
    if (open.container->is_array()) {
      auto& elements = open.container->get_ref<Json::array_t&>();
      if (open.filled < elements.size()) return elements[open.filled++];
      ++open.filled;
      return elements.emplace_back();
    }
    // The members as a plain vector: ordered_map's own lookups are linear.
    std::vector<Json::object_t::value_type>& members = open.container->get_ref<Json::object_t&>();
    if (open.filled < members.size() && members[open.filled].first == key_) return members[open.filled++].second;
    for (size_t i = 0; i < open.filled; ++i)
      if (members[i].first == key_) return members[i].second;
    // Another shape from here on: the old members past this point go.
    drop_unfilled(open);
    ++open.filled;
    return members.emplace_back(key_, nullptr).second;
  }
  bool open(Json::value_t type) {
    if (depth_ >= kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    Json& placed = slot();
    if (placed.type() != type) placed = Json(type);
    open_[depth_++] = {&placed, 0};
    return true;
  }
  bool close() {
    drop_unfilled(open_[--depth_]);
    return true;
  }
  static void drop_unfilled(Open& open) {
    if (open.container->is_array()) {
      auto& elements = open.container->get_ref<Json::array_t&>();
      elements.erase(elements.begin() + static_cast<ptrdiff_t>(open.filled), elements.end());
    } else {
      // pop_back, not erase: the members' keys are const, so a vector's
      // erase (which assigns) cannot be used.
      auto& members = open.container->get_ref<Json::object_t&>();
      while (members.size() > open.filled) members.pop_back();
    }
  }

  Json& root_;
  // The open objects and arrays, innermost last (a fixed array: parsing a
  // call's arguments allocates only for the tree itself).
  std::array<Open, kMaxJsonDepth> open_;
  size_t depth_ = 0;
  bool too_deep_ = false;
  std::string key_;
};

}  // namespace

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

namespace {

// Counts nesting and nothing else, for text the tree builder refused for
// another reason: nlohmann, which then names the error, would otherwise
// build whatever depth lies before it (text that RapidJSON refuses at a
// number such as 1e-400 and nlohmann takes, for one).
class DepthCheck : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DepthCheck> {
 public:
  bool Default() { return true; }
  bool StartObject() { return open(); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(); }
  bool EndArray(rapidjson::SizeType) { return close(); }
  bool too_deep() const { return too_deep_; }

 private:
  bool open() {
    too_deep_ = ++depth_ > kMaxJsonDepth;
    return !too_deep_;
  }
  bool close() {
    --depth_;
    return true;
  }
  size_t depth_ = 0;
  bool too_deep_ = false;
};

// Refuses text that nests deeper than kMaxJsonDepth before it goes wrong:
// nlohmann, which names errors, would build or walk whatever depth lies
// before the error.
void refuse_too_deep(std::string_view text) {
  DepthCheck check;
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  // Iterative: no recursion; numbers as text, so that none stops the check.
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
  rapidjson::ParseResult result = reader.Parse<kFlags>(stream, check);
  // The iterative parser stops before taking the bracket: it is byte Offset() + 1.
  if (check.too_deep()) throw_too_deep(result.Offset() + 1);
}

// A NUL byte is never valid JSON (not even inside a string), but nlohmann
// would stop at it and drop whatever follows.
void refuse_nul_byte(std::string_view text, size_t bad) {
  if (text[bad] == '\0')
    throw nlohmann::json::parse_error::create(101, bad + 1, "syntax error while parsing value - unexpected NUL byte",
                                              nullptr);
}

// What the fast path refused, parsed by nlohmann (for its messages and
// positions, and for the numbers RapidJSON refuses), once the nesting is
// known to be within the limit up to where the text goes wrong.
void parse_with_nlohmann(std::string_view text, Json& tree) {
  refuse_too_deep(text);
  tree = Json::parse(text);
}

}  // namespace

namespace {

// nlohmann's parser with nothing built: it finds the first error and names
// it as its DOM parser would (which throws what the parser hands it).
class SyntaxOnly {
 public:
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(Json::number_integer_t) { return true; }
  bool number_unsigned(Json::number_unsigned_t) { return true; }
  bool number_float(Json::number_float_t, const Json::string_t&) { return true; }
  bool string(Json::string_t&) { return true; }
  bool binary(Json::binary_t&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(Json::string_t&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& e) {
    throw e;
  }
};

}  // namespace

void check_json_syntax(std::string_view text) {
  if (size_t bad = first_forbidden_control_byte(text); bad != std::string_view::npos) refuse_nul_byte(text, bad);
  refuse_too_deep(text);
  SyntaxOnly sax;
  Json::sax_parse(text, &sax);
}

void parse_json_into(std::string_view text, Json& tree) {
  if (size_t bad = first_forbidden_control_byte(text); bad != std::string_view::npos) {
    refuse_nul_byte(text, bad);
    parse_with_nlohmann(text, tree);  // it finds and names the byte
    return;
  }
  TreeBuilder builder(tree);
  // Kept: its stack is then allocated once.
  thread_local rapidjson::Reader reader;
  // A copy parsed in place (strings unescaped where they stand, not copied
  // out to the reader's stack). InsituStringStream, unlike MemoryStream, has
  // the SIMD string scan. It stops at the first NUL, and reads whole aligned
  // 16-byte blocks, so up to 15 bytes past it: those are padding of our own.
  constexpr size_t kSimdPadding = 16;
  // Kept too, up to a size, for a batch's next line.
  constexpr size_t kKeptPadded = 64 * 1024;
  thread_local std::string padded;
  padded.assign(text).append(kSimdPadding, '\0');
  rapidjson::InsituStringStream stream(padded.data());
  constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag;
  rapidjson::ParseResult result = reader.Parse<kFlags>(stream, builder);
  if (padded.capacity() > kKeptPadded) std::string().swap(padded);
  if (builder.too_deep()) throw_too_deep(result.Offset());
  if (result.IsError()) parse_with_nlohmann(text, tree);
}

Json parse_json(std::string_view text) {
  Json tree;
  parse_json_into(text, tree);
  return tree;
}

}  // namespace thrift_call::codec
