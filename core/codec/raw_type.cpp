#include "core/codec/raw_type.h"

#include <charconv>

namespace thrift_call::codec {

namespace {

// Parses one type at the front of `text`, consuming it.
std::unique_ptr<RawType> parse_front(std::string_view& text, int depth) {
  if (depth > 64) return nullptr;
  auto take = [&](std::string_view word) {
    if (text.substr(0, word.size()) != word) return false;
    text.remove_prefix(word.size());
    return true;
  };
  auto type = std::make_unique<RawType>();
  using protocol::TType;
  bool is_list = take("list<");
  if (is_list || take("set<")) {
    type->wire = is_list ? TType::List : TType::Set;
    type->elem = parse_front(text, depth + 1);
    if (!type->elem || !take(">")) return nullptr;
    return type;
  }
  if (take("map<")) {
    type->wire = TType::Map;
    type->key = parse_front(text, depth + 1);
    if (!type->key || !take(",")) return nullptr;
    type->value = parse_front(text, depth + 1);
    if (!type->value || !take(">")) return nullptr;
    return type;
  }
  size_t end = 0;
  while (end < text.size() && text[end] != '>' && text[end] != ',') ++end;
  std::string_view word = text.substr(0, end);
  if (word == "binary") {
    type->wire = TType::String;
    type->binary = true;
  } else if (auto t = protocol::parse_ttype(word); t && *t != TType::List && *t != TType::Set && *t != TType::Map &&
                                                     (depth > 0 || protocol::is_value_ttype(*t))) {
    // "stop" stands inside an empty compact map, whose types the wire omits.
    type->wire = *t;
  } else {
    return nullptr;
  }
  text.remove_prefix(end);
  return type;
}

}  // namespace

std::string to_string(const RawType& type) {
  using protocol::TType;
  auto child = [](const std::unique_ptr<RawType>& t) { return t ? to_string(*t) : std::string("stop"); };
  switch (type.wire) {
    case TType::List: return "list<" + child(type.elem) + ">";
    case TType::Set: return "set<" + child(type.elem) + ">";
    case TType::Map: return "map<" + child(type.key) + "," + child(type.value) + ">";
    case TType::String: return type.binary ? "binary" : "string";
    default: return protocol::to_string(type.wire);
  }
}

std::optional<RawType> parse_raw_type(std::string_view text) {
  std::string_view rest = text;
  auto type = parse_front(rest, 0);
  if (!type || !rest.empty()) return std::nullopt;
  return std::move(*type);
}

std::optional<RawKey> parse_raw_key(std::string_view key) {
  size_t colon = key.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  int id = 0;
  auto res = std::from_chars(key.data(), key.data() + colon, id);
  if (res.ec != std::errc() || res.ptr != key.data() + colon || id < INT16_MIN || id > INT16_MAX) return std::nullopt;
  auto type = parse_raw_type(key.substr(colon + 1));
  if (!type) return std::nullopt;
  return RawKey{static_cast<int16_t>(id), std::move(*type)};
}

}  // namespace thrift_call::codec
