#include "core/codec/json_parse.h"

#include <simdjson.h>

namespace thrift_call::codec {

namespace {

// Deeper nesting is left to nlohmann (and then to the encoder's own limit).
constexpr int kMaxDepth = 256;

bool build(simdjson::dom::element element, Json& out, int depth) {
  if (depth > kMaxDepth) return false;
  switch (element.type()) {
    case simdjson::dom::element_type::OBJECT:
      out = Json::object();
      for (auto [key, value] : simdjson::dom::object(element)) {
        if (!build(value, out[std::string(key)], depth + 1)) return false;
      }
      return true;
    case simdjson::dom::element_type::ARRAY:
      out = Json::array();
      for (simdjson::dom::element item : simdjson::dom::array(element)) {
        out.push_back(nullptr);
        if (!build(item, out.back(), depth + 1)) return false;
      }
      return true;
    case simdjson::dom::element_type::STRING: out = std::string(std::string_view(element)); return true;
    case simdjson::dom::element_type::INT64: out = int64_t(element); return true;
    case simdjson::dom::element_type::UINT64: out = uint64_t(element); return true;
    case simdjson::dom::element_type::DOUBLE: out = double(element); return true;
    case simdjson::dom::element_type::BOOL: out = bool(element); return true;
    case simdjson::dom::element_type::NULL_VALUE: out = nullptr; return true;
  }
  return false;
}

}  // namespace

Json parse_json(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  // padded_string: simdjson reads up to SIMDJSON_PADDING bytes past the end.
  if (!parser.parse(simdjson::padded_string(text)).get(root)) {
    Json out;
    if (build(root, out, 0)) return out;
  }
  return Json::parse(text);
}

}  // namespace thrift_call::codec
