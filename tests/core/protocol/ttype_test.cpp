#include <catch2/catch.hpp>

#include "core/protocol/ttype.h"

using namespace thrift_call::protocol;

TEST_CASE("type names print in raw-mode notation and parse back", "[core][protocol]") {
  for (int id = 0; id < 256; ++id) {
    if (!is_valid_ttype(static_cast<uint8_t>(id))) continue;
    auto type = static_cast<TType>(id);
    INFO(to_string(type));
    CHECK(parse_ttype(to_string(type)) == type);
  }
  CHECK(std::string(to_string(TType::Byte)) == "i8");
  CHECK(std::string(to_string(TType::String)) == "string");
  CHECK(std::string(to_string(TType::Uuid)) == "uuid");
}

TEST_CASE("type names also accept byte and binary", "[core][protocol]") {
  CHECK(parse_ttype("byte") == TType::Byte);
  CHECK(parse_ttype("binary") == TType::String);
  CHECK_FALSE(parse_ttype("int").has_value());
  CHECK_FALSE(parse_ttype("").has_value());
}

TEST_CASE("only Thrift's type ids are valid, and stop and void are no value types", "[core][protocol]") {
  int valid = 0;
  for (int id = 0; id < 256; ++id) valid += is_valid_ttype(static_cast<uint8_t>(id)) ? 1 : 0;
  CHECK(valid == 14);
  CHECK_FALSE(is_valid_ttype(5));
  CHECK_FALSE(is_valid_ttype(17));
  CHECK_FALSE(is_value_ttype(TType::Stop));
  CHECK_FALSE(is_value_ttype(TType::Void));
  CHECK(is_value_ttype(TType::Uuid));
}

TEST_CASE("message types print as call, reply, exception and oneway", "[core][protocol]") {
  CHECK(std::string(to_string(MessageType::Call)) == "call");
  CHECK(std::string(to_string(MessageType::Reply)) == "reply");
  CHECK(std::string(to_string(MessageType::Exception)) == "exception");
  CHECK(std::string(to_string(MessageType::Oneway)) == "oneway");
  CHECK_FALSE(is_valid_message_type(0));
  CHECK_FALSE(is_valid_message_type(5));
}

TEST_CASE("read limits default to 64 MiB strings, 16 Mi elements and depth 64", "[core][protocol]") {
  ReadLimits limits;
  CHECK(limits.string_limit == 64 * 1024 * 1024);
  CHECK(limits.container_limit == 16 * 1024 * 1024);
  CHECK(limits.max_depth == 64);
}
