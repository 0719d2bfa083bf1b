// JSON (nlohmann, in the mapping of DESIGN.md) -> wire.
//
// Struct fields are written in field-id order, as Thrift's generated code
// writes them, never in JSON key order; map and set entries in the order the
// JSON gives them. A field absent from the JSON that has an IDL default is
// written with it. Keys in raw notation ("7:i32") are written as given, so a
// field the IDL does not know can still be sent. With no schema, every key
// must be in raw notation.
//
// Errors are thrift_call::Error (ErrorKind::Input) naming the JSON path and
// what was expected: `$.person.age: expected i32, got "thirty"`. Encode into
// a scratch buffer: on error, discard it, so nothing is sent.
#pragma once

#include <boost/container/small_vector.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "idl/schema.h"

namespace thrift_call::codec {

using Json = nlohmann::ordered_json;

// Where in the input JSON the encoder is: "$.person.age", "$.ids[3]".
// It keeps views of keys (which outlive the encode) and indexes, and makes
// text only when an error needs it, so the hot path does not allocate.
class JsonPath {
 public:
  void push_key(std::string_view key) { parts_.push_back({key, kKey}); }
  void push_index(size_t i) { parts_.push_back({{}, i}); }
  void pop() { parts_.pop_back(); }
  std::string to_string() const {
    std::string out = "$";
    for (const auto& p : parts_) {
      if (p.index == kKey) {
        out += '.';
        // A key from the input may be of any length: the path shows its start.
        size_t cut = p.key.size() <= kKeyShown ? p.key.size() : kKeyShown - 3;
        while (cut < p.key.size() && cut > 0 && (static_cast<unsigned char>(p.key[cut]) & 0xC0) == 0x80) --cut;
        out += p.key.substr(0, cut);
        if (cut < p.key.size()) out += "...";
      } else {
        out += "[" + std::to_string(p.index) + "]";
      }
    }
    return out;
  }

 private:
  static constexpr size_t kKey = static_cast<size_t>(-1);
  static constexpr size_t kKeyShown = 64;
  struct Part {
    std::string_view key;
    size_t index;
  };
  // On the stack up to a depth most arguments never reach.
  boost::container::small_vector<Part, 8> parts_;
};

template <class Writer>
void encode_struct(Writer& writer, const idl::StructDef* schema, const Json& value, JsonPath& path);

template <class Writer>
void encode_value(Writer& writer, const idl::Type& type, const Json& value, JsonPath& path);

}  // namespace thrift_call::codec
