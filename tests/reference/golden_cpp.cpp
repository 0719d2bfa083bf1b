// Golden bytes from Apache Thrift's C++ library: builds a table of ThriftTest
// values with the generated classes and writes each through TBinaryProtocol,
// TCompactProtocol and TJSONProtocol over a TMemoryBuffer.
//
// usage: golden_cpp   prints one JSON object per line, as golden_codec.py does:
//   {"case": NAME, "type": IDL_TYPE, "json": VALUE_IN_THRIFT_CALL_MAPPING, "decoded": WHAT_DECODE_GIVES,
//    "binary": HEX, "compact": HEX, "json_protocol": HEX}
//
// "decoded" is derived from the object the way its generated write() walks
// it: a default-requiredness field is always written (zero values included),
// an optional one only when its __isset flag is set. "json" is the same,
// because thrift-call's encoder writes only the fields the JSON gives (plus
// IDL defaults), so every field C++ writes has to be in the input; a case may
// give a shorter "json" where the IDL default stands in for a field.
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/protocol/TJSONProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "ThriftTest_types.h"

namespace tt = thrift::test;
using ordered = nlohmann::ordered_json;

// The generated header declares operator< for structs but leaves the
// definition to the user; sets and map keys of Insanity need one.
bool tt::Insanity::operator<(const Insanity& other) const {
  if (userMap != other.userMap) return userMap < other.userMap;
  return xtructs.size() < other.xtructs.size();
}

namespace {

std::string base64(std::string_view bytes) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned n = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (size_t rest = bytes.size() - i) {
    unsigned n = (unsigned char)bytes[i] << 16 | (rest == 2 ? (unsigned char)bytes[i + 1] << 8 : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string hex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// --- The thrift-call JSON mapping of a generated object -----------------------
// Struct overloads are declared before the container templates so that the
// templates find them (ADL would only look in thrift::test and std).

ordered value(const tt::Bonk& s);
ordered value(const tt::Bools& s);
ordered value(const tt::Xtruct& s);
ordered value(const tt::Xtruct2& s);
ordered value(const tt::Xtruct3& s);
ordered value(const tt::Insanity& s);
ordered value(const tt::CrazyNesting& s);
ordered value(const tt::SomeUnion& s);
ordered value(const tt::EmptyStruct& s);
ordered value(const tt::OneField& s);
ordered value(const tt::VersioningTestV2& s);
ordered value(const tt::GuessProtocolStruct& s);
ordered value(const tt::LargeDeltas& s);
ordered value(const tt::NestedListsI32x2& s);
ordered value(const tt::NestedMixedx2& s);
ordered value(const tt::BoolTest& s);
ordered value(const tt::StructA& s);
ordered value(const tt::StructB& s);
ordered value(const tt::OptionalBinary& s);
template <class T>
ordered value(const std::vector<T>& list);
template <class T>
ordered value(const std::set<T>& set);
template <class K, class V>
ordered value(const std::map<K, V>& map);

ordered value(bool v) { return v; }
ordered value(int8_t v) { return int64_t{v}; }
ordered value(int16_t v) { return int64_t{v}; }
ordered value(int32_t v) { return int64_t{v}; }
ordered value(int64_t v) { return v; }
ordered value(double v) { return v; }
ordered value(const std::string& text) { return text; }  // binary fields call base64() instead

template <class T>
ordered value(const std::vector<T>& list) {
  ordered out = ordered::array();
  for (const T& e : list) out.push_back(value(e));
  return out;
}

template <class T>
ordered value(const std::set<T>& set) {
  ordered out = ordered::array();
  for (const T& e : set) out.push_back(value(e));
  return out;
}

std::string key_text(const std::string& key) { return key; }
std::string key_text(tt::Numberz::type key) { return tt::_Numberz_VALUES_TO_NAMES.at(key); }
template <class K>
std::string key_text(K key) requires std::is_integral_v<K> { return std::to_string(key); }

// Maps with string, enum or integer keys are objects, others [key, value] pairs.
template <class K, class V>
ordered value(const std::map<K, V>& map) {
  if constexpr (std::is_same_v<K, std::string> || std::is_integral_v<K> || std::is_enum_v<K>) {
    ordered out = ordered::object();
    for (const auto& [k, v] : map) out[key_text(k)] = value(v);
    return out;
  } else {
    ordered out = ordered::array();
    for (const auto& [k, v] : map) out.push_back(ordered::array({value(k), value(v)}));
    return out;
  }
}

// Each mirrors its generated write(): optional fields only when set.
#define FIELD(name) o[#name] = value(s.name)
#define OPTIONAL(name) \
  if (s.__isset.name) o[#name] = value(s.name)

ordered value(const tt::Bonk& s) {
  ordered o = ordered::object();
  FIELD(message);
  FIELD(type);
  return o;
}
ordered value(const tt::Bools& s) {
  ordered o = ordered::object();
  FIELD(im_true);
  FIELD(im_false);
  return o;
}
ordered value(const tt::Xtruct& s) {
  ordered o = ordered::object();
  FIELD(string_thing);
  FIELD(byte_thing);
  FIELD(i32_thing);
  FIELD(i64_thing);
  return o;
}
ordered value(const tt::Xtruct2& s) {
  ordered o = ordered::object();
  FIELD(byte_thing);
  FIELD(struct_thing);
  FIELD(i32_thing);
  return o;
}
ordered value(const tt::Xtruct3& s) {
  ordered o = ordered::object();
  FIELD(string_thing);
  FIELD(changed);
  FIELD(i32_thing);
  FIELD(i64_thing);
  return o;
}
ordered value(const tt::Insanity& s) {
  ordered o = ordered::object();
  FIELD(userMap);
  FIELD(xtructs);
  return o;
}
ordered value(const tt::CrazyNesting& s) {
  ordered o = ordered::object();
  FIELD(string_field);
  OPTIONAL(set_field);
  FIELD(list_field);
  o["binary_field"] = base64(s.binary_field);
  return o;
}
ordered value(const tt::SomeUnion& s) {  // a union's write() is that of all-optional fields
  ordered o = ordered::object();
  OPTIONAL(map_thing);
  OPTIONAL(string_thing);
  OPTIONAL(i32_thing);
  OPTIONAL(xtruct_thing);
  OPTIONAL(insanity_thing);
  return o;
}
ordered value(const tt::EmptyStruct&) { return ordered::object(); }
ordered value(const tt::OneField& s) {
  ordered o = ordered::object();
  FIELD(field);
  return o;
}
ordered value(const tt::VersioningTestV2& s) {
  ordered o = ordered::object();
  FIELD(begin_in_both);
  FIELD(newint);
  FIELD(newbyte);
  FIELD(newshort);
  FIELD(newlong);
  FIELD(newdouble);
  FIELD(newstruct);
  FIELD(newlist);
  FIELD(newset);
  FIELD(newmap);
  FIELD(newstring);
  FIELD(end_in_both);
  return o;
}
ordered value(const tt::GuessProtocolStruct& s) {
  ordered o = ordered::object();
  FIELD(map_field);
  return o;
}
ordered value(const tt::LargeDeltas& s) {
  ordered o = ordered::object();
  FIELD(b1);
  FIELD(b10);
  FIELD(b100);
  FIELD(check_true);
  FIELD(b1000);
  FIELD(check_false);
  FIELD(vertwo2000);
  FIELD(a_set2500);
  FIELD(vertwo3000);
  FIELD(big_numbers);
  return o;
}
ordered value(const tt::NestedListsI32x2& s) {
  ordered o = ordered::object();
  FIELD(integerlist);
  return o;
}
ordered value(const tt::NestedMixedx2& s) {
  ordered o = ordered::object();
  FIELD(int_set_list);
  FIELD(map_int_strset);
  FIELD(map_int_strset_list);
  return o;
}
ordered value(const tt::BoolTest& s) {
  ordered o = ordered::object();
  OPTIONAL(b);
  OPTIONAL(s);
  return o;
}
ordered value(const tt::StructA& s) {
  ordered o = ordered::object();
  FIELD(s);
  return o;
}
ordered value(const tt::StructB& s) {
  ordered o = ordered::object();
  OPTIONAL(aa);
  FIELD(ab);
  return o;
}
ordered value(const tt::OptionalBinary& s) {  // binary set elements and map keys: base64
  ordered o = ordered::object();
  if (s.__isset.bin_set) {
    ordered set = ordered::array();
    for (const std::string& e : s.bin_set) set.push_back(base64(e));
    o["bin_set"] = set;
  }
  if (s.__isset.bin_map) {
    ordered map = ordered::array();
    for (const auto& [k, v] : s.bin_map) map.push_back(ordered::array({base64(k), v}));
    o["bin_map"] = map;
  }
  return o;
}

#undef FIELD
#undef OPTIONAL

// --- Writing ------------------------------------------------------------------

using apache::thrift::transport::TMemoryBuffer;

template <class Protocol, class T>
std::string serialize(const T& object) {
  auto buffer = std::make_shared<TMemoryBuffer>();
  Protocol protocol(buffer);
  object.write(&protocol);
  return buffer->getBufferAsString();
}

template <class T>
void emit(const char* name, const char* type, const T& object, std::optional<ordered> as_json = {}) {
  ordered decoded = value(object);
  ordered line = {
      {"case", name},
      {"type", type},
      {"json", as_json ? *as_json : decoded},
      {"decoded", decoded},
      {"binary", hex(serialize<apache::thrift::protocol::TBinaryProtocol>(object))},
      {"compact", hex(serialize<apache::thrift::protocol::TCompactProtocol>(object))},
      {"json_protocol", hex(serialize<apache::thrift::protocol::TJSONProtocol>(object))},
  };
  std::printf("%s\n", line.dump().c_str());
}

template <class T>
constexpr T lowest = std::numeric_limits<T>::min();
template <class T>
constexpr T highest = std::numeric_limits<T>::max();

tt::Xtruct xtruct(std::string text, int8_t byte, int32_t i32, int64_t i64) {
  tt::Xtruct x;
  x.__set_string_thing(std::move(text));
  x.__set_byte_thing(byte);
  x.__set_i32_thing(i32);
  x.__set_i64_thing(i64);
  return x;
}

tt::Bools bools(bool im_true, bool im_false) {
  tt::Bools b;
  b.__set_im_true(im_true);
  b.__set_im_false(im_false);
  return b;
}

}  // namespace

int main() {
  emit("a default xtruct writes every field", "Xtruct", tt::Xtruct());
  emit("xtruct limits min", "Xtruct", xtruct("", lowest<int8_t>, lowest<int32_t>, lowest<int64_t>));
  emit("xtruct limits max", "Xtruct",
       xtruct("héllo \"wörld\"\n\u2603 \t\\/ \x01 \U0001F600", highest<int8_t>, highest<int32_t>, highest<int64_t>));
  emit("xtruct zero and minus one", "Xtruct", xtruct("a", -1, 0, -1));
  {
    tt::Xtruct2 x;
    x.__set_byte_thing(1);
    x.__set_struct_thing(xtruct("in", 0, 7, 0));
    x.__set_i32_thing(3);
    emit("nested struct", "Xtruct2", x);
  }
  {
    tt::Insanity x;
    x.__set_userMap({{tt::Numberz::FIVE, 5}, {tt::Numberz::EIGHT, -8}, {tt::Numberz::ONE, highest<int64_t>}});
    x.__set_xtructs({xtruct("x", 2, 3, 4), tt::Xtruct()});
    emit("map with enum keys and list of structs", "Insanity", x);
  }
  emit("empty containers", "Insanity", tt::Insanity());
  emit("bools in fields", "Bools", bools(true, false));
  {
    tt::LargeDeltas x;
    x.__set_b1(bools(true, false));
    x.__set_b1000(bools(false, true));
    x.__set_check_true(true);
    x.__set_check_false(false);
    x.__set_a_set2500({"x"});
    x.__set_big_numbers({highest<int32_t>, lowest<int32_t>, 0});
    emit("large field-id deltas and bools", "LargeDeltas", x);
  }
  {
    tt::VersioningTestV2 x;
    x.__set_begin_in_both(-1);
    x.__set_newint(1 << 20);
    x.__set_newbyte(-128);
    x.__set_newshort(lowest<int16_t>);
    x.__set_newlong(int64_t{1} << 53);
    x.__set_newdouble(-0.1);
    tt::Bonk bonk;
    bonk.__set_message("bonk");
    bonk.__set_type(highest<int16_t>);
    x.__set_newstruct(bonk);
    x.__set_newlist({1, -1, 300});
    x.__set_newset({-5, 0, 5});
    x.__set_newmap({{-1, 1}, {2, -2}});
    x.__set_newstring("");
    x.__set_end_in_both(highest<int32_t>);
    emit("every scalar type and container kind", "VersioningTestV2", x);
  }
  {
    tt::VersioningTestV2 x;
    x.__set_newdouble(1e300);
    emit("a large double", "VersioningTestV2", x);
    x.__set_newdouble(2.5);
    emit("a double with an exact short form", "VersioningTestV2", x);
  }
  {
    tt::NestedListsI32x2 x;
    x.__set_integerlist({{1, 2}, {}, {3}});
    emit("nested lists", "NestedListsI32x2", x);
  }
  {
    tt::NestedMixedx2 x;
    x.__set_int_set_list({{1, 2, 3}, {}});
    x.__set_map_int_strset({{10, {"a"}}, {-1, {}}});
    x.__set_map_int_strset_list({{{1, {"b"}}}});
    emit("nested mixed", "NestedMixedx2", x);
  }
  {
    tt::GuessProtocolStruct x;
    x.__set_map_field({{"k", "v"}, {"", "empty"}});
    emit("map with string keys", "GuessProtocolStruct", x);
  }
  {
    tt::OptionalBinary x;
    x.__set_bin_set({std::string("\x00\x01\xff", 3)});
    x.__set_bin_map({{"key", 1}});
    emit("binary in sets and map keys", "OptionalBinary", x);
    // C++ marks optional fields that have an IDL default as set from the start.
    emit("optional fields with IDL defaults are written when absent", "OptionalBinary", tt::OptionalBinary(),
         ordered::object());
  }
  {
    tt::SomeUnion x;
    x.__set_i32_thing(5);
    emit("a union", "SomeUnion", x);
  }
  {
    tt::SomeUnion x;
    tt::Xtruct3 inner;
    inner.__set_string_thing("three");
    inner.__set_changed(4);
    x.__set_xtruct_thing(inner);
    emit("a union holding a struct", "SomeUnion", x);
  }
  {
    tt::CrazyNesting x;
    x.__set_string_field("s");
    std::string every_byte;
    for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
    x.__set_binary_field(every_byte);
    emit("binary with every byte value", "CrazyNesting", x);
  }
  {
    tt::Insanity deep;
    deep.__set_userMap({{tt::Numberz::ONE, 1}});
    tt::CrazyNesting x;
    x.__set_string_field("");
    x.__set_set_field({deep});
    x.__set_list_field({{{{1, 2}, {{3, {{{{deep, "deep"}}}, {}}}}}}});
    x.__set_binary_field("ab");
    emit("structs as set elements and map keys, six containers deep", "CrazyNesting", x);
  }
  emit("IDL defaults are written for absent fields", "BoolTest", tt::BoolTest(), ordered::object());
  {
    tt::StructA a;
    a.__set_s("x");
    tt::StructB x;
    x.__set_ab(a);
    emit("required fields and defaults", "StructB", x);
  }
  {
    tt::OneField x;
    emit("an empty struct inside a struct", "OneField", x);
  }
  return 0;
}
