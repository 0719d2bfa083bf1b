// The streaming encoder reading JSON text against the same encoder fed
// from a parsed tree (parse_json_argument, as calls and the REPL do): the
// same bytes for every value, and for bad input the same error, word for
// word and at the same place. Text out of field-id order, defaults and
// sizes known only at an array's end are the streaming cases.
#include <catch2/catch.hpp>

#include "../../idl/idl_test_util.h"
#include "base/error.h"
#include "base/hex.h"
#include "core/codec/codec.h"
#include "core/user_input/json_input.h"
#include "core/user_input/mapped_text.h"
#include "idl/loader.h"

using namespace thrift_call;

namespace {

const std::string kThriftTest = std::string(THRIFT_CALL_SOURCE_DIR) + "/tests/data/ThriftTest.thrift";

constexpr codec::ProtocolKind kProtocols[] = {codec::ProtocolKind::Binary, codec::ProtocolKind::Compact,
                                              codec::ProtocolKind::Json};

// Bytes, or the error as a user sees it.
std::string from_text(codec::ProtocolKind kind, const idl::Type* type, const std::string& text) {
  MappedText input = MappedText::from_text(text);
  std::string out;
  try {
    try {
      codec::serialize(kind, type, input.padded(), out);
    } catch (const nlohmann::json::exception&) {
      rethrow_json_error(input.text(), "argument");
    }
  } catch (const Error& e) {
    return std::string("error: ") + e.what();
  }
  return to_hex(out);
}

std::string from_tree(codec::ProtocolKind kind, const idl::Type* type, const std::string& text) {
  try {
    return to_hex(codec::serialize(kind, type, parse_json_argument(text)));
  } catch (const Error& e) {
    return std::string("error: ") + e.what();
  }
}

// `text` as TYPE in each protocol: streamed, the same bytes or error as from
// the tree, and an error or not as `refused` says.
void check_as_tree(const idl::Schema& schema, const std::string& type_name, const std::string& text, bool refused) {
  const idl::Type* type = schema.find_type(type_name);
  REQUIRE(type != nullptr);
  for (codec::ProtocolKind kind : kProtocols) {
    INFO(type_name << " " << text << " / " << codec::to_string(kind));
    std::string streamed = from_text(kind, type, text);
    CHECK((streamed.rfind("error: ", 0) == 0) == refused);
    CHECK(streamed == from_tree(kind, type, text));
  }
}

}  // namespace

TEST_CASE("encoding JSON text as a stream writes the bytes the parsed tree gives", "[core][codec][stream]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  const std::pair<const char*, const char*> cases[] = {
      {"Xtruct",
       R"({"string_thing":"héllo \"q\" \\ \u00e9 \ud83d\ude00","byte_thing":-1,"i32_thing":7,"i64_thing":-9007199254740993})"},
      {"Insanity",
       R"({"userMap":{"FIVE":5,"EIGHT":8},"xtructs":[{"string_thing":"a","i32_thing":1},{"i64_thing":"12"}]})"},
      {"Insanity", R"({"xtructs":[],"userMap":{}})"},
      {"LargeDeltas",
       R"({"big_numbers":[1,2,3],"check_false":false,"b1":{"im_false":false,"im_true":true},"check_true":true,"b1000":{"im_true":false},"a_set2500":["x","y"]})"},
      {"VersioningTestV2",
       R"({"newdouble":1e300,"newmap":{"1":2,"-3":4},"newset":[],"newlist":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16],"newstruct":{"message":"m","type":3},"begin_in_both":1})"},
      {"NestedMixedx2",
       R"({"map_int_strset_list":[{"1":["a"]},{}],"int_set_list":[[1],[2,3]],"map_int_strset":{"7":["b","c"]}})"},
      {"CrazyNesting", R"({"list_field":[[],[[[1],[]]]],"string_field":"s"})"},
      {"BoolTest", R"({})"},
      {"BoolTest", R"({"s":"false"})"},
      {"OptionalSetDefaultTest", R"({})"},
      {"OptionalBinary", R"({"bin_map":[["AAE=",1]]})"},
      {"SomeUnion", R"({"i32_thing":3})"},
      {"StructB", R"({"ab":{"s":"x"},"aa":null})"},
      {"Numberz", R"("EIGHT")"},
      {"Numberz", R"(5)"},
      {"UserId", R"(12345678901)"},
      {"Xtruct", "  \n{ \"i32_thing\" : 1 ,\n \"string_thing\" : \"\" }\n"},
  };
  for (const auto& [type_name, text] : cases) check_as_tree(schema, type_name, text, false);
  // Raw notation, without the IDL.
  for (codec::ProtocolKind kind : kProtocols) {
    std::string text =
        R"({"9:list<map<string,i64>>":[{"a":1}],"1:string":"x","3:struct":{"2:bool":true,"1:binary":"AQI="}})";
    CHECK(from_text(kind, nullptr, text) == from_tree(kind, nullptr, text));
  }
}

TEST_CASE("a struct's fields go in id order whatever the order of its keys", "[core][codec][stream]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  const idl::Type* type = schema.find_type("LargeDeltas");
  std::string in_order =
      R"({"b1":{"im_true":true,"im_false":false},"b10":{"im_true":false},"check_true":true,"b1000":{},"check_false":false,"a_set2500":["s"],"big_numbers":[1]})";
  std::string reversed =
      R"({"big_numbers":[1],"a_set2500":["s"],"check_false":false,"b1000":{},"check_true":true,"b10":{"im_true":false},"b1":{"im_false":false,"im_true":true}})";
  for (codec::ProtocolKind kind : kProtocols) {
    INFO(codec::to_string(kind));
    CHECK(from_text(kind, type, reversed) == from_text(kind, type, in_order));
    CHECK(from_text(kind, type, reversed).rfind("error", 0) == std::string::npos);
  }
  // IDL defaults go in at the struct's end, then in id order: a default bool
  // (BoolTest.b = true) keeps its value when moved (compact writes it in
  // the field's header).
  const idl::Type* bools = schema.find_type("BoolTest");
  for (codec::ProtocolKind kind : kProtocols) {
    INFO(codec::to_string(kind));
    std::string out;
    codec::serialize(kind, bools, MappedText::from_text(R"({"s":"x"})").padded(), out);
    CHECK(codec::deserialize(kind, out, bools).json == R"({"b":true,"s":"x"})");
  }
  // Compact: a list past 14 elements takes a longer header, moved into place at the end.
  const idl::Type* v2 = schema.find_type("VersioningTestV2");
  std::string many = R"({"newlist":[)";
  for (int i = 0; i < 300; ++i) many += std::to_string(i) + (i < 299 ? "," : "");
  many += R"(],"begin_in_both":2})";
  for (codec::ProtocolKind kind : kProtocols) CHECK(from_text(kind, v2, many) == from_tree(kind, v2, many));
}

TEST_CASE("bad JSON text is refused as the parsed tree refuses it, word for word", "[core][codec][stream]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  const std::pair<const char*, std::string> cases[] = {
      {"Xtruct", R"({"i32_thing":"x"})"},
      {"Xtruct", R"({"i32_thing":[1,{"a":2}]})"},
      {"Xtruct", R"({"byte_thing":300})"},
      {"Xtruct", R"({"i64_thing":18446744073709551615})"},
      {"Xtruct", R"({"i64_thing":1.5})"},
      {"Xtruct", R"({"strin_thing":"a"})"},
      {"Xtruct", R"({"i32_thing":1,"9:i32":2})"},
      {"Xtruct", R"({"9:i64":1,"i32_thing":2})"},
      {"Xtruct", R"({"i32_thing":"x", "oops)"},  // a syntax error after a wrong value: the syntax error
      {"Xtruct", R"({"i32_thing":"x"} trailing)"},
      {"Xtruct", R"({"i32_thing":1e400})"},
      {"Xtruct", "{\"string_thing\":\"\xff\"}"},
      {"Xtruct", std::string("{\"string_thing\":\"a\0b\"}", 22)},
      {"Xtruct", "{\"string_thing\":\"a\x1b\"}"},
      {"Xtruct", R"([1,2])"},
      {"Xtruct", R"(null)"},
      {"Insanity", R"({"userMap":{"NINE":1}})"},
      {"Insanity", R"({"userMap":[[1]]})"},
      {"Insanity", R"({"xtructs":[{"i32_thing":1},{"i32_thing":"no"}]})"},
      {"Insanity", R"({"xtructs":{"a":1}})"},
      {"NestedMixedx2", R"({"map_int_strset":{"x":["a"]}})"},
      {"OptionalBinary", R"({"bin_map":{"a":1}})"},
      {"OptionalBinary", R"({"bin_map":[["AAE=",1,2]]})"},
      {"OptionalBinary", R"({"bin_map":[["AAE="]]})"},
      {"OptionalBinary", R"({"bin_map":[5]})"},
      {"OptionalBinary", R"({"bin_map":[{"k":1}]})"},
      {"OptionalBinary", R"({"bin_set":["not base64!"]})"},
      {"SomeUnion", R"({})"},
      {"SomeUnion", R"({"i32_thing":1,"xtruct_thing":{}})"},
      {"StructB", R"({"aa":{"s":"x"}})"},
      {"StructB", R"({"ab":{}})"},
      {"Numberz", R"("SEVEN")"},
      {"Xtruct", std::string(200, '[')},
  };
  for (const auto& [type_name, text] : cases) check_as_tree(schema, type_name, text, true);
  // Raw keys: not in raw notation, or a raw field's value of another type.
  for (std::string text : {R"({"name":1})", R"({"1:i32":"x"})", R"({"1:list<i32>":[1,"x"]})"})
    CHECK(from_text(codec::ProtocolKind::Binary, nullptr, text) ==
          from_tree(codec::ProtocolKind::Binary, nullptr, text));
}

TEST_CASE("a stream's own refusals: a key given twice, nesting past the limit", "[core][codec][stream]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  const idl::Type* xtruct = schema.find_type("Xtruct");
  CHECK(from_text(codec::ProtocolKind::Binary, xtruct, R"({"i32_thing":1,"i32_thing":2})") ==
        R"(error: $: field id 9 given twice ("i32_thing" and "i32_thing"))");
  CHECK(from_text(codec::ProtocolKind::Binary, xtruct, R"({"i32_thing":null,"i32_thing":2})") ==
        R"(error: $: field id 9 given twice ("i32_thing" and "i32_thing"))");
  const idl::Type* insanity = schema.find_type("Insanity");
  CHECK(from_text(codec::ProtocolKind::Binary, insanity, R"({"userMap":{"ONE":1,"ONE":2}})") ==
        R"(error: $.userMap.ONE: the key "ONE" is given twice)");
  CHECK(from_text(codec::ProtocolKind::Binary, nullptr, "{\"1:struct\":" + std::string(70, ' ') + "1}")
            .rfind("error: $.1:struct: expected an object of raw fields", 0) == 0);
  // 70 nested structs: deeper than the encoder goes, found while streaming.
  std::string structs;
  for (int i = 0; i < 70; ++i) structs += "{\"1:struct\":";
  structs += "{}" + std::string(70, '}');
  CHECK(from_text(codec::ProtocolKind::Binary, nullptr, structs).find("nesting deeper than 64 levels") !=
        std::string::npos);
}

TEST_CASE("JSON text cut at every byte is refused as invalid JSON, at the place the parser names",
          "[core][codec][stream]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  const idl::Type* type = schema.find_type("Insanity");
  std::string text =
      R"({"userMap": {"FIVE": 5, "EIGHT": -8}, "xtructs": [{"string_thing": "h\u00e9\"llo", "byte_thing": 1,)"
      R"( "i32_thing": 2, "i64_thing": 3.0e0}, {"i64_thing": -1, "string_thing": "x"}, {}]})";
  REQUIRE(from_text(codec::ProtocolKind::Compact, type, text).rfind("error", 0) == std::string::npos);
  for (size_t cut = 0; cut < text.size(); ++cut) {
    std::string prefix = text.substr(0, cut);
    INFO("cut at " << cut << ": " << prefix);
    for (codec::ProtocolKind kind : kProtocols) {
      std::string streamed = from_text(kind, type, prefix);
      CHECK(streamed.rfind("error: argument line 1, column ", 0) == 0);
      CHECK(streamed.find("invalid JSON") != std::string::npos);
      CHECK(streamed == from_tree(kind, type, prefix));
    }
  }
}

TEST_CASE("a mapped file whose text ends at a page's end still reads", "[core][codec][stream]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  test::ScratchDir dir;
  std::string text = R"({"string_thing":")" + std::string(8192 - 20, 'a') + "\"}";
  text.resize(8192, ' ');
  REQUIRE(text.size() == 8192);
  std::string path = dir.write("page.json", text);
  MappedText input = MappedText::from_file(path);
  CHECK(input.text().size() == 8192);
  std::string out;
  codec::serialize(codec::ProtocolKind::Binary, schema.find_type("Xtruct"), input.padded(), out);
  CHECK(out.size() == 3 + 4 + (8192 - 20) + 1);
  input.release_before(8192);
  CHECK(input.text().substr(0, 4) == R"({"st)");
}
