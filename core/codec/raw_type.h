// Raw notation: field keys that carry id and type, "3:list<struct>", for
// calls and decodes without an IDL (DESIGN.md, "Raw mode").
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/protocol/ttype.h"

namespace thrift_call::codec {

struct RawType {
  protocol::TType wire = protocol::TType::Void;
  bool binary = false;  // "binary": a String whose JSON value is base64
  std::unique_ptr<RawType> elem;   // list, set
  std::unique_ptr<RawType> key;    // map
  std::unique_ptr<RawType> value;  // map
};

// "i32", "binary", "list<i64>", "map<string,set<struct>>", ... nullopt if the
// text is not a type.
std::optional<RawType> parse_raw_type(std::string_view text);

// "list<binary>", "map<string,list<i32>>"; an element type the wire did not
// give (an empty compact map) reads "stop".
std::string to_string(const RawType& type);

struct RawKey {
  int16_t id = 0;
  RawType type;
};

// "3:list<struct>" -> {3, list<struct>}; nullopt if `key` is not in raw notation.
std::optional<RawKey> parse_raw_key(std::string_view key);

}  // namespace thrift_call::codec
