// Writes seed corpora for the fuzz targets whose inputs thrift-call itself
// makes: messages (calls, replies, declared and application exceptions),
// JSON arguments and values (the templates `thrift-call template` prints),
// and THeader, framed and unframed first bytes. scripts/fuzz runs it; the
// other seeds come from tests/data, tests/integration and the dump tools.
// usage: fuzz_seeds DIR   (writes DIR/value/PROTOCOL, DIR/message, DIR/json_encode, DIR/wire)
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "core/codec/message.h"
#include "core/idl_views/json_template.h"
#include "core/transport/theader.h"
#include "fuzz_schema.h"

namespace {

using namespace thrift_call;
namespace fs = std::filesystem;

void write(const fs::path& dir, const std::string& name, char selector, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << selector << bytes;
}
void write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_seeds DIR\n";
    return 2;
  }
  fs::path out = argv[1];
  const auto& functions = fuzz::thrift_test_functions();
  const codec::ProtocolKind kinds[] = {codec::ProtocolKind::Binary, codec::ProtocolKind::Compact,
                                       codec::ProtocolKind::Json};
  for (size_t f = 0; f < functions.size(); ++f) {
    const idl::Function& fn = *functions[f];
    codec::Json args = make_template(fn.args);
    for (int p = 0; p < 3; ++p) {
      // message_fuzz: byte 0 is protocol + 3 * function (fuzz::pick_protocol, fuzz::pick_function).
      char selector = static_cast<char>(p + 3 * f);
      std::string stem = fn.name + "." + codec::to_string(kinds[p]);
      write(out / "message", stem + ".call", selector, codec::encode_call(kinds[p], fn, args, 1));
      for (const idl::Field& field : fn.result.fields) {
        codec::Json result = codec::Json::object({{field.name, make_template(*field.type)}});
        write(out / "message", stem + "." + field.name, selector, codec::encode_reply(kinds[p], fn, fn.name, 1, result));
      }
      if (fn.result.fields.empty())
        write(out / "message", stem + ".void", selector, codec::encode_reply(kinds[p], fn, fn.name, 1, codec::Json::object()));
      write(out / "message", stem + ".exception", selector,
            codec::encode_application_exception(kinds[p], fn.name, 1, {1, "no such method \x1b[31m"}));
      // json_encode_fuzz: byte 0 is protocol + 3 * target, targets 8.. being the functions.
      write(out / "json_encode", stem + ".args", static_cast<char>(p + 3 * (8 + f)), args.dump(1));
    }
    // wire_fuzz: the first bytes of a call in each framing.
    std::string call = codec::encode_call(codec::ProtocolKind::Binary, fn, args, 1);
    std::string compact = codec::encode_call(codec::ProtocolKind::Compact, fn, args, 1);
    uint32_t n = static_cast<uint32_t>(call.size());
    std::string length = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                          static_cast<char>(n)};
    if (f % 4 == 0) {
      write(out / "wire", fn.name + ".buffered", call);
      write(out / "wire", fn.name + ".framed", length + call);
      write(out / "wire", fn.name + ".http",
            "POST /thrift HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n" + call);
    }
    transport::THeaderOptions header;
    header.zlib = f % 2;
    if (f % 3 == 0) header.headers = {{"trace", "abc"}, {"user", "ann"}};
    write(out / "wire", fn.name + ".theader", transport::theader_frame(call, header));
    header.protocol = codec::ProtocolKind::Compact;
    write(out / "wire", fn.name + ".theader_compact", transport::theader_frame(compact, header));
  }
  write(out / "wire", "http", "POST /thrift HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  write(out / "wire", "tls", std::string("\x16\x03\x01\x00\x05", 5));
  // Values of fuzz::pick_type's types (selector 7: raw): json_encode_fuzz's
  // JSON (byte 0 protocol + 3 * type), and for parse_fuzz and round_trip_fuzz
  // their encoding (byte 0 the type).
  const codec::Json raw =
      codec::Json::parse(R"({"1:string":"a","2:list<list<i32>>":[[1,2],[3]],"3:map<string,struct>":{"k":{"1:i32":5}},"4:double":1.5e300})");
  for (uint8_t t = 0; t < 8; ++t) {
    const idl::Type* type = fuzz::pick_type(t);
    codec::Json value = type ? make_template(*type) : raw;
    for (int p = 0; p < 3; ++p) {
      std::string name = "type" + std::to_string(t);
      write(out / "json_encode", name + "." + codec::to_string(kinds[p]), static_cast<char>(p + 3 * t), value.dump());
      write(out / "value" / codec::to_string(kinds[p]), name, static_cast<char>(t), codec::serialize(kinds[p], type, value));
    }
  }
  return 0;
}
