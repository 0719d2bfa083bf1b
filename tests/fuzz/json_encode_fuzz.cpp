// JSON encoder fuzzer: arbitrary JSON text, as a user gives it, encoded as a
// ThriftTest type or as a ThriftTest call's arguments. The first byte picks
// the protocol and the target; the rest is the JSON text. Parsing gives a
// tree or an Error of kind Input; encoding gives bytes or an Error of kind
// Input; whatever encodes must decode again. A value's text is also
// streamed to the wire as `encode` does: what the tree encodes, it encodes
// to the same bytes, and text that does not parse does not stream.
//
// Byte mutations rarely keep JSON valid, so the mutator below mostly edits
// the parsed tree: it swaps values for others of another type, renames keys
// to field names the IDL knows, wraps values in arrays and objects (deep
// nesting included), and copies or drops elements.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec/message.h"
#include "core/codec/codec.h"
#include "core/user_input/json_input.h"
#include "core/user_input/mapped_text.h"
#include "fuzz_schema.h"
#include "base/error.h"

namespace {

using namespace thrift_call;
using codec::Json;

struct Target {
  const idl::Type* type = nullptr;     // a value of this type (nullptr and no function: raw)
  const idl::Function* fn = nullptr;   // or this function's arguments
};

Target pick_target(uint8_t selector) {
  const auto& functions = fuzz::thrift_test_functions();
  size_t values = 8;  // fuzz::pick_type's seven types and raw
  size_t choice = selector % (values + functions.size());
  if (choice < values) return {fuzz::pick_type(static_cast<uint8_t>(choice)), nullptr};
  return {nullptr, functions[choice - values]};
}

size_t keys_in_tree(const Json& value) {
  size_t n = value.is_object() ? value.size() : 0;
  if (value.is_structured())
    for (const Json& v : value) n += keys_in_tree(v);
  return n;
}

// Whether some object of the text gives a key twice (the tree kept one).
bool has_repeated_key(const std::string& text, const Json& tree) {
  size_t keys = 0;
  try {
    Json::parse(text, [&](int, Json::parse_event_t event, Json&) {
      if (event == Json::parse_event_t::key) ++keys;
      return true;
    });
  } catch (const nlohmann::json::exception&) {
    return true;  // cannot tell: not checked
  }
  return keys != keys_in_tree(tree);
}

void require_input_error(const Error& e) {
  if (e.kind() != ErrorKind::Input) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const codec::ProtocolKind kind = fuzz::pick_protocol(data[0]);
  const Target target = pick_target(data[0] / 3);
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  // The text streamed to the wire, as `encode` reads it: bytes, or an
  // error of kind Input.
  std::optional<std::string> streamed;
  if (!target.fn) {
    MappedText input = MappedText::from_text(text);
    try {
      try {
        std::string out;
        codec::serialize(kind, target.type, input.padded(), out);
        streamed = std::move(out);
      } catch (const nlohmann::json::exception&) {
        rethrow_json_error(input.text(), "argument");
      }
    } catch (const Error& e) {
      require_input_error(e);
    }
  }
  Json value;
  try {
    value = parse_json_argument(text);
  } catch (const Error& e) {
    require_input_error(e);
    if (streamed) std::abort();  // what does not parse does not stream either
    return 0;
  }
  if (target.fn) {
    std::string call;
    try {
      call = codec::encode_call(kind, *target.fn, value, 7);
    } catch (const Error& e) {
      require_input_error(e);
      return 0;
    }
    codec::Call decoded =
        codec::decode_call(kind, call, [&](const protocol::MessageHeader&) { return target.fn; });
    if (decoded.consumed != call.size()) std::abort();
    return 0;
  }
  std::string bytes;
  try {
    bytes = codec::serialize(kind, target.type, value);
  } catch (const Error& e) {
    require_input_error(e);
    return 0;
  }
  // Both encode, to the same bytes; but the parsed tree keeps the last of a
  // key given twice, which the stream refuses.
  if (streamed ? *streamed != bytes : !has_repeated_key(text, value)) std::abort();
  if (codec::deserialize(kind, bytes, target.type).consumed != bytes.size()) std::abort();
  return 0;
}

// ---- The structure-aware mutator ----

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

// Keys the encoder knows: every field name of ThriftTest, enum names (also
// values), and raw "id:type" keys.
const std::vector<std::string>& known_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out = {"1:i32", "2:string", "0:bool", "3:list<i32>", "4:map<string,struct>",
                                    "5:set<list<binary>>", "1:struct", "-1:i64", "7:double", "1:binary",
                                    "2:uuid", "1:i8", "1:i16", "32767:byte", "3:list", "3:list<"};
    for (const auto& program : fuzz::thrift_test_schema().programs()) {
      for (const auto& s : program->structs)
        for (const idl::Field& f : s->fields) out.push_back(f.name);
      for (const auto& e : program->enums)
        for (const std::string& name : e->value_names()) out.push_back(name);
      for (const auto& service : program->services)
        for (const auto& fn : service->functions)
          for (const idl::Field& f : fn->args.fields) out.push_back(f.name);
    }
    return out;
  }();
  return keys;
}

Json random_scalar(std::minstd_rand& rng) {
  static const Json samples[] = {nullptr, true, false, 0, -1, 127, -128, 32768, 2147483647, -2147483649LL,
                                 INT64_MIN, UINT64_MAX, 1.5, -0.0, 1e308, "", "AAEC", "00000000-0000-0000-0000-000000000000",
                                 "\xc3\xa9", "\xff\xfe", "FIVE", "NaN", "Infinity", "-Infinity"};
  if (rng() % 4 == 0) return known_keys()[rng() % known_keys().size()];
  return samples[rng() % std::size(samples)];
}

// Every node of the tree, parents before children; returns the depth.
size_t collect(Json& node, std::vector<Json*>& out) {
  std::vector<std::pair<Json*, size_t>> stack = {{&node, 1}};
  size_t deepest = 0;
  while (!stack.empty()) {
    auto [n, depth] = stack.back();
    stack.pop_back();
    out.push_back(n);
    deepest = std::max(deepest, depth);
    if (n->is_structured())
      for (auto& child : *n) stack.push_back({&child, depth + 1});
  }
  return deepest;
}

// The mutator's own dump() recurses: it keeps its trees below this depth
// (the target itself sees whatever the byte mutations make of them).
constexpr size_t kMaxMutatorDepth = 5000;

void mutate_tree(Json& root, std::minstd_rand& rng) {
  std::vector<Json*> nodes;
  size_t depth_now = collect(root, nodes);
  Json& node = *nodes[rng() % nodes.size()];
  const auto& keys = known_keys();
  switch (rng() % 8) {
    case 0: node = random_scalar(rng); break;
    case 1: node = Json::array({node}); break;
    case 2: node = Json::object({{keys[rng() % keys.size()], node}}); break;
    case 3: {  // deep nesting, most often a little, sometimes a lot
      size_t depth = rng() % 8 == 0 ? 1 + rng() % 4000 : 1 + rng() % 40;
      if (depth_now + depth > kMaxMutatorDepth) break;
      Json nested = std::move(node);
      for (size_t i = 0; i < depth; ++i) nested = rng() % 2 ? Json::array({std::move(nested)})
                                                           : Json::object({{"1:list<list<i32>>", std::move(nested)}});
      node = std::move(nested);
      break;
    }
    case 4:  // another element like one already there
      if (node.is_array() && !node.empty()) node.push_back(node[rng() % node.size()]);
      else if (node.is_object() && !node.empty()) node[keys[rng() % keys.size()]] = node.begin().value();
      else node = Json::array({node, node});
      break;
    case 5:  // a key renamed to one the IDL knows
      if (node.is_object() && !node.empty()) {
        auto it = std::next(node.begin(), static_cast<long>(rng() % node.size()));
        Json moved = std::move(it.value());
        node.erase(it);
        node[keys[rng() % keys.size()]] = std::move(moved);
      } else {
        node = Json::object({{keys[rng() % keys.size()], random_scalar(rng)}});
      }
      break;
    case 6:  // an element dropped
      if (node.is_array() && !node.empty()) node.erase(node.begin() + static_cast<long>(rng() % node.size()));
      else if (node.is_object() && !node.empty()) node.erase(node.begin());
      else node = Json::array();
      break;
    default:  // a number or string changed bit by bit
      if (node.is_string()) {
        std::string s = node.get<std::string>();
        s.resize(s.size() + 8);
        s.resize(LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(s.data()), s.size() - 8, s.size()));
        node = s;
      } else if (node.is_number_integer()) {
        node = node.get<int64_t>() ^ (int64_t{1} << (rng() % 64));
      } else {
        node = random_scalar(rng);
      }
  }
}

}  // namespace

// How deep the brackets of `text` nest (strings not told apart: a bound,
// not a parse).
size_t bracket_depth(std::string_view text) {
  size_t depth = 0, deepest = 0;
  for (char c : text) {
    if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    else if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return deepest;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  std::minstd_rand rng(seed);
  if (size < 1 || max_size < 2 || rng() % 5 == 0) return LLVMFuzzerMutate(data, size, max_size);
  if (rng() % 8 == 0) {  // another protocol or target
    data[0] = static_cast<uint8_t>(rng());
    return size;
  }
  // nlohmann copies and prints a tree recursively: a tree deeper than the
  // mutator itself makes (a seed of 70,000 levels) is mutated as bytes.
  if (bracket_depth(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1)) > 5000)
    return LLVMFuzzerMutate(data, size, max_size);
  Json tree = Json::parse(reinterpret_cast<const char*>(data + 1), reinterpret_cast<const char*>(data + size),
                          nullptr, false);
  if (tree.is_discarded()) return LLVMFuzzerMutate(data, size, max_size);
  for (unsigned edits = 1 + rng() % 3; edits > 0; --edits) mutate_tree(tree, rng);
  std::string text = tree.dump(rng() % 2 ? -1 : 1, ' ', false, Json::error_handler_t::replace);
  if (text.size() + 1 > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::copy(text.begin(), text.end(), data + 1);
  return text.size() + 1;
}
