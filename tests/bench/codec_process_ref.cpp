// The libthrift side of codec_process_bench.py: Apache's generated C++ for
// ThriftTest doing, in one process, the jobs `thrift-call encode` and
// `thrift-call decode` do, and making the payloads both read.
//
// usage:
//   codec_process_ref generate struct-heavy|string-heavy MB PREFIX
//       writes PREFIX.binary, PREFIX.compact (the wire bytes) and
//       PREFIX.tjson (TJSONProtocol text) of a value of about MB wire bytes
//   codec_process_ref encode binary|compact TYPE FILE.tjson
//       TJSONProtocol read, then the protocol's write, to stdout
//   codec_process_ref decode binary|compact TYPE FILE
//       the protocol's read, then TJSONProtocol write, to stdout; prints the
//       read's own seconds on stderr ("deserialize 0.123")
// TYPE is Insanity or ListTypeVersioningV2. Protocols are templated on
// TMemoryBuffer, libthrift's fastest configuration.
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/protocol/TJSONProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>

#include "ThriftTest_types.h"

// The generated header declares operator< for structs and leaves the
// definition to the user: CrazyNesting's map keys need one, to link.
bool thrift::test::Insanity::operator<(const Insanity& other) const {
  if (userMap != other.userMap) return userMap < other.userMap;
  return xtructs.size() < other.xtructs.size();
}

namespace {

using apache::thrift::protocol::TBinaryProtocolT;
using apache::thrift::protocol::TCompactProtocolT;
using apache::thrift::protocol::TJSONProtocol;
using apache::thrift::transport::TMemoryBuffer;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

template <class Protocol, class T>
std::string write_as(const T& value) {
  auto buffer = std::make_shared<TMemoryBuffer>();
  Protocol protocol(buffer);
  value.write(&protocol);
  return buffer->getBufferAsString();
}

template <class Protocol, class T>
void read_as(const std::string& bytes, T& value) {
  auto buffer = std::make_shared<TMemoryBuffer>(reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data())),
                                                static_cast<uint32_t>(bytes.size()));
  Protocol protocol(buffer);
  value.read(&protocol);
}

// Many small structs: Xtructs of a short name and three integers.
thrift::test::Insanity struct_heavy(size_t mb) {
  thrift::test::Insanity value;
  value.userMap[thrift::test::Numberz::FIVE] = 5;
  value.userMap[thrift::test::Numberz::EIGHT] = 8;
  size_t count = mb * 1000 * 1000 / 40;  // an Xtruct is about 40 wire bytes
  value.xtructs.resize(count);
  std::mt19937_64 random(1);
  for (size_t i = 0; i < count; ++i) {
    thrift::test::Xtruct& x = value.xtructs[i];
    x.string_thing = "item-" + std::to_string(i);
    x.byte_thing = static_cast<int8_t>(i % 100);
    x.i32_thing = static_cast<int32_t>(random() % 2000000) - 1000000;
    x.i64_thing = static_cast<int64_t>(random() >> 12);
  }
  return value;
}

// Long strings of text with quotes, backslashes, control and non-ASCII
// characters, which JSON escapes or carries as UTF-8.
thrift::test::ListTypeVersioningV2 string_heavy(size_t mb) {
  thrift::test::ListTypeVersioningV2 value;
  const std::string words[] = {"lorem",
                               "ipsum",
                               "\"quoted\"",
                               "back\\slash",
                               "tab\there",
                               "line\nbreak",
                               "caf\xc3\xa9",
                               "\xe6\x97\xa5\xe6\x9c\xac",
                               "emoji \xf0\x9f\x98\x80",
                               "plain"};
  size_t count = mb * 1000;  // strings of about 1 KB
  std::mt19937 random(2);
  for (size_t i = 0; i < count; ++i) {
    std::string s;
    while (s.size() < 1000) {
      s += words[random() % std::size(words)];
      s += ' ';
    }
    value.strings.push_back(std::move(s));
  }
  value.hello = "hello";
  return value;
}

template <class T>
void generate(const T& value, const std::string& prefix) {
  write_file(prefix + ".binary", write_as<TBinaryProtocolT<TMemoryBuffer>>(value));
  write_file(prefix + ".compact", write_as<TCompactProtocolT<TMemoryBuffer>>(value));
  write_file(prefix + ".tjson", write_as<TJSONProtocol>(value));
}

template <class T>
int run(const std::string& job, const std::string& protocol, const std::string& path) {
  std::string input = read_file(path);
  T value;
  std::string output;
  if (job == "encode") {
    read_as<TJSONProtocol>(input, value);
    output = protocol == "binary" ? write_as<TBinaryProtocolT<TMemoryBuffer>>(value)
                                  : write_as<TCompactProtocolT<TMemoryBuffer>>(value);
  } else {
    auto started = std::chrono::steady_clock::now();
    if (protocol == "binary") {
      read_as<TBinaryProtocolT<TMemoryBuffer>>(input, value);
    } else {
      read_as<TCompactProtocolT<TMemoryBuffer>>(input, value);
    }
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    std::fprintf(stderr, "deserialize %.6f\n", took.count());
    output = write_as<TJSONProtocol>(value);
  }
  std::fwrite(output.data(), 1, output.size(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "generate") {
    size_t mb = std::strtoul(argv[3], nullptr, 10);
    if (std::string(argv[2]) == "struct-heavy") {
      generate(struct_heavy(mb), argv[4]);
    } else {
      generate(string_heavy(mb), argv[4]);
    }
    return 0;
  }
  if (argc == 5) {
    std::string type = argv[3];
    if (type == "Insanity") return run<thrift::test::Insanity>(argv[1], argv[2], argv[4]);
    if (type == "ListTypeVersioningV2") return run<thrift::test::ListTypeVersioningV2>(argv[1], argv[2], argv[4]);
  }
  std::fprintf(stderr, "usage: see codec_process_ref.cpp\n");
  return 2;
}
