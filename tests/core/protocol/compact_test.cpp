#include <string>

#include <catch2/catch.hpp>

#include "core/protocol/compact.h"
#include "core/protocol/skip.h"
#include "base/error.h"

using namespace thrift_call::protocol;
using namespace std::string_literals;

TEST_CASE("compact bool fields fold their value into the field header", "[core][protocol][compact]") {
  std::string out;
  CompactWriter w(out);
  w.write_struct_begin();
  w.write_field_begin(TType::Bool, 1);
  w.write_bool(true);
  w.write_field_end();
  w.write_field_begin(TType::Bool, 2);
  w.write_bool(false);
  w.write_field_end();
  w.write_field_begin(TType::Bool, 40);  // too far for a delta: long form
  w.write_bool(true);
  w.write_field_end();
  w.write_field_stop();
  w.write_struct_end();
  CHECK(out == "\x11\x12\x01\x50\x00"s);

  CompactReader r(out);
  r.read_struct_begin();
  CHECK(r.read_field_begin().id == 1);
  CHECK(r.read_bool() == true);
  CHECK(r.read_field_begin().id == 2);
  CHECK(r.read_bool() == false);
  FieldHeader f = r.read_field_begin();
  CHECK(f.type == TType::Bool);
  CHECK(f.id == 40);
  CHECK(r.read_bool() == true);
  CHECK(r.read_field_begin().type == TType::Stop);
}

TEST_CASE("compact bools in containers are bytes 1 for true and 2 for false, and 0 also reads as false",
          "[core][protocol][compact]") {
  std::string out;
  CompactWriter w(out);
  w.write_list_begin(TType::Bool, 2);
  w.write_bool(true);
  w.write_bool(false);
  CHECK(out == "\x21\x01\x02"s);
  std::string spec_style = "\x32\x01\x00\x02"s;  // element type 2 and false as 0, as the spec words it
  CompactReader r(spec_style);
  ListHeader l = r.read_list_begin();
  CHECK(l.elem == TType::Bool);
  CHECK(l.size == 3);
  CHECK(r.read_bool());
  CHECK_FALSE(r.read_bool());
  CHECK_FALSE(r.read_bool());
}

TEST_CASE("compact field ids use a delta when 1 to 15 above the last id of the same struct",
          "[core][protocol][compact]") {
  std::string out;
  CompactWriter w(out);
  w.write_struct_begin();
  w.write_field_begin(TType::I32, 15);  // delta 15: short
  w.write_i32(0);
  w.write_field_begin(TType::Struct, 31);  // delta 16: long form, zigzag id 62
  w.write_struct_begin();
  w.write_field_begin(TType::I32, 1);  // a new struct starts again from 0
  w.write_i32(0);
  w.write_field_stop();
  w.write_struct_end();
  w.write_field_begin(TType::I32, 32);  // delta from 31, not from the inner 1
  w.write_i32(0);
  w.write_field_begin(TType::I32, 2);  // backwards: long form
  w.write_i32(0);
  w.write_field_stop();
  w.write_struct_end();
  CHECK(out == "\xf5\x00\x0c\x3e\x15\x00\x00\x15\x00\x05\x04\x00\x00"s);
  CompactReader r(out);
  skip(r, TType::Struct, 64);
  CHECK(r.at_end());
}

TEST_CASE("compact messages carry a varint seqid, negative ones in five bytes", "[core][protocol][compact]") {
  std::string out;
  CompactWriter w(out);
  w.write_message_begin({"f", MessageType::Exception, -1});
  CHECK(out == "\x82\x61\xff\xff\xff\xff\x0f\x01\x66"s);
  CompactReader r(out);
  MessageHeader h = r.read_message_begin();
  CHECK(h.seqid == -1);
  CHECK(h.type == MessageType::Exception);
  CHECK(h.name == "f");
  CHECK_THROWS_WITH(CompactReader("\x81\x21\x00\x00"s).read_message_begin(), Catch::StartsWith("bad compact protocol id 0x81 (expected 0x82)"));
  CHECK_THROWS_WITH(CompactReader("\x82\x22\x00\x00"s).read_message_begin(), Catch::StartsWith("bad compact protocol version 2 (expected 1)"));
}

TEST_CASE("compact empty maps are one zero byte and read with stop types", "[core][protocol][compact]") {
  std::string out;
  CompactWriter w(out);
  w.write_map_begin(TType::String, TType::I32, 0);
  w.write_map_begin(TType::String, TType::I32, 1);
  CHECK(out == "\x00\x01\x85"s);
  out += "\x02\x04"s;  // the one entry
  CompactReader r(out);
  MapHeader m = r.read_map_begin();
  CHECK(m.size == 0);
  CHECK(m.key == TType::Stop);
  m = r.read_map_begin();
  CHECK(m.key == TType::String);
  CHECK(m.value == TType::I32);
}

TEST_CASE("compact lists of 15 or more elements put the size in a varint", "[core][protocol][compact]") {
  std::string out;
  CompactWriter w(out);
  w.write_list_begin(TType::Byte, 14);
  w.write_list_begin(TType::Byte, 15);
  w.write_list_begin(TType::Byte, 300);
  CHECK(out == "\xe3\xf3\x0f\xf3\xac\x02"s);
}

TEST_CASE("compact doubles are little-endian", "[core][protocol][compact]") {
  std::string out;
  CompactWriter w(out);
  w.write_double(1.0);
  CHECK(out == "\x00\x00\x00\x00\x00\x00\xf0\x3f"s);
}

TEST_CASE("a compact field id delta past 32767 is rejected", "[core][protocol][compact]") {
  std::string fits = "\x05\xfc\xff\x03\x00\x15\x00"s;  // id 32766, then +1: still fine
  CompactReader r(fits);
  r.read_struct_begin();
  CHECK(r.read_field_begin().id == 32766);
  r.read_i32();
  CHECK(r.read_field_begin().id == 32767);
  r.read_i32();
  std::string bytes = "\x05\xfe\xff\x03\x00\x15\x00"s;
  CompactReader r2(bytes);
  r2.read_struct_begin();
  CHECK(r2.read_field_begin().id == 32767);
  r2.read_i32();
  CHECK_THROWS_WITH(r2.read_field_begin(), Catch::StartsWith("field id delta 1 takes the field id past 32767"));
}
