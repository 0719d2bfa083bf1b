// Bad input, for every protocol: truncations, lying sizes, deep nesting and
// random bytes must each end in a thrift_call::Error of kind Protocol that
// names a byte offset; never a crash, an overread or a huge allocation.
#include <memory>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "core/protocol/binary.h"
#include "core/protocol/compact.h"
#include "core/protocol/json.h"
#include "core/protocol/skip.h"
#include "base/error.h"

using namespace thrift_call::protocol;
using thrift_call::Error;
using thrift_call::ErrorKind;

namespace {

struct Binary {
  using Writer = BinaryWriter;
  using Reader = BinaryReader;
  static constexpr const char* name = "binary";
};
struct Compact {
  using Writer = CompactWriter;
  using Reader = CompactReader;
  static constexpr const char* name = "compact";
};
struct Json {
  using Writer = JsonWriter;
  using Reader = JsonReader;
  static constexpr const char* name = "json";
};

// A heap copy of exactly `size` bytes, so AddressSanitizer sees any read past
// the end (a std::string would have a spare byte for its terminator).
class ExactBuffer {
 public:
  ExactBuffer(std::string_view bytes)
      : data_(new char[bytes.size()]), size_(bytes.size()) {
    std::copy(bytes.begin(), bytes.end(), data_.get());
  }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_;
};

// A message using every kind of value.
template <class Writer>
std::string sample_message() {
  std::string out;
  Writer w(out);
  w.write_message_begin({"getEverything", MessageType::Reply, -12345});
  w.write_struct_begin();
  w.write_field_begin(TType::Bool, 1);
  w.write_bool(true);
  w.write_field_end();
  w.write_field_begin(TType::Byte, 2);
  w.write_byte(-7);
  w.write_field_end();
  w.write_field_begin(TType::I16, 3);
  w.write_i16(-300);
  w.write_field_end();
  w.write_field_begin(TType::I32, 20);
  w.write_i32(123456789);
  w.write_field_end();
  w.write_field_begin(TType::I64, 21);
  w.write_i64(-1234567890123LL);
  w.write_field_end();
  w.write_field_begin(TType::Double, 22);
  w.write_double(-2.5e-3);
  w.write_field_end();
  w.write_field_begin(TType::String, 23);
  w.write_string("h\xc3\xa9llo \"q\" \\ \n");
  w.write_field_end();
  w.write_field_begin(TType::String, 24);
  w.write_binary(std::string("\x00\x01\xfe\xff", 4));
  w.write_field_end();
  w.write_field_begin(TType::Uuid, 25);
  w.write_uuid({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  w.write_field_end();
  w.write_field_begin(TType::List, 26);
  w.write_list_begin(TType::Bool, 2);
  w.write_bool(false);
  w.write_bool(true);
  w.write_list_end();
  w.write_field_end();
  w.write_field_begin(TType::Map, 27);
  w.write_map_begin(TType::I32, TType::Struct, 1);
  w.write_i32(-1);
  w.write_struct_begin();
  w.write_field_begin(TType::Set, 1);
  w.write_set_begin(TType::Double, 1);
  w.write_double(0.5);
  w.write_set_end();
  w.write_field_end();
  w.write_field_stop();
  w.write_struct_end();
  w.write_map_end();
  w.write_field_end();
  w.write_field_begin(TType::Map, 28);
  w.write_map_begin(TType::String, TType::String, 0);
  w.write_map_end();
  w.write_field_end();
  w.write_field_stop();
  w.write_struct_end();
  w.write_message_end();
  return out;
}

template <class Reader>
void read_message(std::string_view bytes, const ReadLimits& limits = {}) {
  Reader r(bytes, limits);
  r.read_message_begin();
  skip(r, TType::Struct, r.limits().max_depth);
  r.read_message_end();
}

// Runs `f`; it must throw a Protocol Error whose where() is "byte N" with
// N <= max_offset. Returns the message.
template <class F>
std::string expect_protocol_error(F f, size_t max_offset) {
  try {
    f();
  } catch (const Error& e) {
    INFO(e.diagnostic());
    CHECK(e.kind() == ErrorKind::Protocol);
    REQUIRE(e.where().rfind("byte ", 0) == 0);
    CHECK(std::stoull(e.where().substr(5)) <= max_offset);
    return e.message();
  }
  FAIL("no error thrown");
  return {};
}

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

}  // namespace

TEMPLATE_TEST_CASE("a message cut short at any byte gives a protocol error naming a byte offset",
                   "[core][protocol][hostile]", Binary, Compact, Json) {
  std::string full = sample_message<typename TestType::Writer>();
  read_message<typename TestType::Reader>(full);  // the whole message is fine
  for (size_t len = 0; len < full.size(); ++len) {
    INFO(TestType::name << " truncated to " << len << " of " << full.size() << " bytes");
    ExactBuffer cut(std::string_view(full).substr(0, len));
    expect_protocol_error([&] { read_message<typename TestType::Reader>(cut.view()); }, len);
  }
}

TEMPLATE_TEST_CASE("nesting 10,000 levels deep is stopped by skip at the depth limit",
                   "[core][protocol][hostile]", Binary, Compact, Json) {
  constexpr int kDeep = 10000;
  SECTION("lists of lists") {
    std::string bytes;
    typename TestType::Writer w(bytes);
    for (int i = 0; i < kDeep; ++i) w.write_list_begin(TType::List, 1);
    w.write_list_begin(TType::I32, 0);
    for (int i = 0; i <= kDeep; ++i) w.write_list_end();
    typename TestType::Reader r(bytes);
    std::string msg = expect_protocol_error([&] { skip(r, TType::List, r.limits().max_depth); }, bytes.size());
    CHECK(msg == "nesting deeper than 64 levels");
  }
  SECTION("structs in structs") {
    std::string bytes;
    typename TestType::Writer w(bytes);
    w.write_struct_begin();
    for (int i = 0; i < kDeep; ++i) {
      w.write_field_begin(TType::Struct, 1);
      w.write_struct_begin();
    }
    for (int i = 0; i < kDeep; ++i) {
      w.write_field_stop();
      w.write_struct_end();
      w.write_field_end();
    }
    w.write_field_stop();
    w.write_struct_end();
    typename TestType::Reader r(bytes);
    std::string msg = expect_protocol_error([&] { skip(r, TType::Struct, r.limits().max_depth); }, bytes.size());
    CHECK(msg == "nesting deeper than 64 levels");
  }
}

TEMPLATE_TEST_CASE("nesting exactly max_depth levels deep is accepted", "[core][protocol][hostile]", Binary, Compact,
                   Json) {
  ReadLimits limits;
  limits.max_depth = 10;
  for (int depth : {10, 11}) {
    std::string bytes;
    typename TestType::Writer w(bytes);
    for (int i = 0; i < depth - 1; ++i) w.write_list_begin(TType::List, 1);
    w.write_list_begin(TType::I32, 1);
    w.write_i32(5);
    for (int i = 0; i < depth; ++i) w.write_list_end();
    typename TestType::Reader r(bytes, limits);
    if (depth == 10) {
      skip(r, TType::List, limits.max_depth);
      CHECK(r.at_end());
    } else {
      CHECK(expect_protocol_error([&] { skip(r, TType::List, limits.max_depth); }, bytes.size()) ==
            "nesting deeper than 10 levels");
    }
  }
}

TEMPLATE_TEST_CASE("sizes above the configured limits are rejected", "[core][protocol][hostile]", Binary, Compact,
                   Json) {
  std::string bytes;
  typename TestType::Writer w(bytes);
  w.write_struct_begin();
  w.write_field_begin(TType::String, 1);
  w.write_string("0123456789");
  w.write_field_end();
  w.write_field_begin(TType::List, 2);
  w.write_list_begin(TType::I32, 3);
  for (int i = 0; i < 3; ++i) w.write_i32(i);
  w.write_list_end();
  w.write_field_end();
  w.write_field_stop();
  w.write_struct_end();

  ReadLimits strings;
  strings.string_limit = 9;
  typename TestType::Reader r1(bytes, strings);
  CHECK_THAT(expect_protocol_error([&] { skip(r1, TType::Struct, 64); }, bytes.size()),
             Catch::Contains("string size 10 exceeds the limit of 9"));

  ReadLimits containers;
  containers.container_limit = 2;
  typename TestType::Reader r2(bytes, containers);
  CHECK_THAT(expect_protocol_error([&] { skip(r2, TType::Struct, 64); }, bytes.size()),
             Catch::Contains("list size 3 exceeds the limit of 2"));
}

TEST_CASE("binary sizes that are negative or claim 2 GB are rejected before allocating",
          "[core][protocol][binary][hostile]") {
  auto check = [](const std::string& bytes, TType type, const char* expected) {
    ExactBuffer buf(bytes);
    BinaryReader r(buf.view());
    CHECK_THAT(expect_protocol_error([&] { skip(r, type, 64); }, bytes.size()), Catch::Contains(expected));
  };
  check(be32(0x7fffffff) + "abc", TType::String, "string size 2147483647 exceeds the limit of 67108864");
  check(be32(1000) + "abc", TType::String, "string size 1000 is larger than the 3 bytes left");
  check(be32(0xffffffff) + "abc", TType::String, "string size -1 is negative");
  check("\x08" + be32(0x7fffffff) + "abcd", TType::List, "list size 2147483647 exceeds the limit");
  check(std::string("\x08", 1) + be32(1000) + std::string(40, 'x'), TType::List,
        "list size 1000 cannot fit in the 40 bytes left (each takes at least 4)");
  check(std::string("\x0b\x0b", 2) + be32(0x80000000) + "ab", TType::Map, "map size -2147483648 is negative");
  check(std::string("\x0b\x0b", 2) + be32(3) + std::string(23, 'x'), TType::Map, "map size 3 cannot fit");
  check(std::string("\x0e", 1) + be32(0xfffffff0), TType::Set, "set size -16 is negative");
  // An old non-strict header whose "name length" is really something else.
  ExactBuffer http(std::string("POST / HTTP/1.1\r\n"));
  CHECK_THAT(expect_protocol_error([&] { BinaryReader(http.view()).read_message_begin(); }, 0),
             Catch::Contains("message name size 1347375956 exceeds the limit"));
}

TEST_CASE("binary unknown type bytes are rejected with the byte's value", "[core][protocol][binary][hostile]") {
  auto field_type = [](uint8_t code) {
    std::string bytes{static_cast<char>(code), 0, 1, 0, 0, 0, 0, 0};
    BinaryReader r(bytes);
    return expect_protocol_error([&] { skip(r, TType::Struct, 64); }, 0);
  };
  CHECK(field_type(0x11) == "unknown field type 0x11");
  CHECK(field_type(0x07) == "unknown field type 0x07");
  CHECK(field_type(0x01) == "unknown field type 0x01");  // void is no value type
  std::string list{0x05, 0, 0, 0, 1, 0};
  BinaryReader r(list);
  CHECK(expect_protocol_error([&] { skip(r, TType::List, 64); }, 0) == "unknown list type 0x05");
  std::string stop_list{0x00, 0, 0, 0, 1, 0};
  BinaryReader r2(stop_list);
  CHECK(expect_protocol_error([&] { skip(r2, TType::List, 64); }, 0) == "unknown list type 0x00");
}

TEST_CASE("compact sizes that are negative or claim 2 GB are rejected before allocating",
          "[core][protocol][compact][hostile]") {
  auto check = [](const std::string& bytes, TType type, const char* expected) {
    ExactBuffer buf(bytes);
    CompactReader r(buf.view());
    CHECK_THAT(expect_protocol_error([&] { skip(r, type, 64); }, bytes.size()), Catch::Contains(expected));
  };
  check("\xff\xff\xff\xff\x07" "abc", TType::String, "string size 2147483647 exceeds the limit of 67108864");
  check("\xe8\x07" "abc", TType::String, "string size 1000 is larger than the 3 bytes left");
  check("\xff\xff\xff\xff\x0f" "abc", TType::String, "string size -1 is negative");
  check("\xf5\xff\xff\xff\xff\x07" "abc", TType::List, "list size 2147483647 exceeds the limit");
  check("\xf7\x80\x01" + std::string(100, 'x'), TType::List,
        "list size 128 cannot fit in the 100 bytes left (each takes at least 8)");
  check("\xff\xff\xff\xff\x0f\x55", TType::Map, "map size -1 is negative");
  check("\x80\x01\x55" + std::string(100, 'x'), TType::Map, "map size 128 cannot fit in the 100 bytes left (each takes at least 2)");
}

TEST_CASE("compact varints longer than 5 or 10 bytes, or overflowing, are rejected",
          "[core][protocol][compact][hostile]") {
  auto check = [](const std::string& bytes, TType type, const char* expected) {
    ExactBuffer buf(bytes);
    CompactReader r(buf.view());
    CHECK(expect_protocol_error([&] { skip(r, type, 64); }, 0) == expected);
  };
  check("\x80\x80\x80\x80\x80\x00", TType::I32, "varint for i32 is longer than 5 bytes or overflows 32 bits");
  check("\xff\xff\xff\xff\x1f", TType::I32, "varint for i32 is longer than 5 bytes or overflows 32 bits");
  check(std::string(10, '\x80') + '\x00', TType::I64, "varint for i64 is longer than 10 bytes or overflows 64 bits");
  check(std::string(9, '\xff') + '\x02', TType::I64, "varint for i64 is longer than 10 bytes or overflows 64 bits");
  check("\x80\x80\x04", TType::I16, "i16 value 32768 is out of range");
  // The largest values that do fit.
  CompactReader ok32(std::string_view("\xfe\xff\xff\xff\x0f", 5));
  CHECK(ok32.read_i32() == 2147483647);
  std::string max64 = std::string(9, '\xff') + '\x01';
  CompactReader ok64(max64);
  CHECK(ok64.read_i64() == INT64_MIN);
}

TEST_CASE("compact unknown type ids are rejected", "[core][protocol][compact][hostile]") {
  auto check = [](const std::string& bytes, TType type, const char* expected) {
    CompactReader r(bytes);
    CHECK(expect_protocol_error([&] { skip(r, type, 64); }, 1) == expected);
  };
  check("\x1e", TType::Struct, "unknown compact field type 14");
  check("\x0f\x02", TType::Struct, "unknown compact field type 15");
  check("\x1e\x00", TType::List, "unknown compact list type 14");
  check("\x10\x00", TType::Set, "unknown compact set type 0");
  check("\x01\xe5", TType::Map, "unknown compact map key type 14");
  check("\x01\x50", TType::Map, "unknown compact map value type 0");
  CompactReader bad_bool(std::string_view("\x21\x03\x01", 3));
  CHECK(expect_protocol_error([&] { skip(bad_bool, TType::List, 64); }, 1) ==
        "bool must be 1 (true), 0 or 2 (false), got 0x03");
}

TEST_CASE("json sizes that are negative or claim 2 GB are rejected", "[core][protocol][json][hostile]") {
  auto check = [](const std::string& text, TType type, const char* expected) {
    ExactBuffer buf(text);
    JsonReader r(buf.view());
    CHECK_THAT(expect_protocol_error([&] { skip(r, type, 64); }, text.size()), Catch::Contains(expected));
  };
  check(R"(["i32",2147483647,1])", TType::List, "list size 2147483647 exceeds the limit");
  check(R"(["i32",99999999999999999999,1])", TType::List, "out of range");
  check(R"(["i32",-1])", TType::List, "list size -1 is negative");
  check(R"(["i32",9,1,2])", TType::List, "list size 9 is larger than the 5 bytes left");
  check(R"(["str","i32",-3,{}])", TType::Map, "map size -3 is negative");
  check(R"(["str","i32",100,{"a":1}])", TType::Map, "map size 100 cannot fit");
  check(R"(["xyz",0])", TType::List, "unknown list type name 'xyz'");
  check(R"({"1":{"i32x":1}})", TType::Struct, "unknown field type name 'i32x'");
  check(R"({"1":{"i8":128}})", TType::Struct, "i8 128 is out of range [-128, 127]");
  check(R"({"1":{"tf":2}})", TType::Struct, "bool 2 is out of range [0, 1]");
  check(R"({"70000":{"i8":1}})", TType::Struct, "field id 70000 is out of range");
  check(R"({1:{"i8":1}})", TType::Struct, "expected '\"', got '1'");
}

TEST_CASE("json nesting is bounded even without skip", "[core][protocol][json][hostile]") {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += R"({"1":{"rec":)";
  JsonReader r(text);
  std::string msg = expect_protocol_error(
      [&] {
        for (int i = 0; i < 10000; ++i) {
          r.read_struct_begin();
          r.read_field_begin();
        }
      },
      text.size());
  CHECK(msg == "nesting deeper than 64 levels");
}

TEMPLATE_TEST_CASE("random and mutated bytes never crash a reader", "[core][protocol][hostile]", Binary, Compact,
                   Json) {
  std::mt19937 rng(20240611);
  std::string valid = sample_message<typename TestType::Writer>();
  const std::string json_alphabet = "[]{}\",:0123456789-+.eEtfinalsurcdpb\\u ";
  int errors = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string bytes;
    if (i % 3 == 0) {
      size_t len = rng() % 64;
      for (size_t k = 0; k < len; ++k) bytes.push_back(static_cast<char>(rng()));
    } else {
      // A valid message with a few bytes changed.
      bytes = valid;
      int changes = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < changes; ++k) {
        size_t at = rng() % bytes.size();
        bytes[at] = std::string(TestType::name) == "json" && rng() % 2
                        ? json_alphabet[rng() % json_alphabet.size()]
                        : static_cast<char>(rng());
      }
    }
    ExactBuffer buf(bytes);
    try {
      read_message<typename TestType::Reader>(buf.view());
    } catch (const Error& e) {
      INFO("case " << i << ": " << e.diagnostic());
      REQUIRE(e.kind() == ErrorKind::Protocol);
      REQUIRE(e.where().rfind("byte ", 0) == 0);
      ++errors;
    }
  }
  CHECK(errors > 1000);
}
