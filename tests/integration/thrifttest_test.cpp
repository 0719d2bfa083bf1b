// Every method of Apache's cross-language test service (ThriftTest), called
// through thrift-call over every protocol and transport, against a Python
// server implementing the IDL's comments (thrifttest_server.py).
#include <catch2/catch.hpp>

#include "../cli/run_cli.h"
#include "python_server.h"

using thrift_call::test::PythonServer;
using thrift_call::test::run_cli;

namespace {

const std::string kEnv =
    "THRIFT_CALL_IDL=" THRIFT_CALL_SOURCE_DIR "/tests/data/ThriftTest.thrift";

struct Case {
  const char* method;
  const char* args;
  const char* out;  // stdout, without the newline
  int exit_code;
};

const Case kCases[] = {
    {"testVoid", "{}", "null", 0},
    {"testString", R"({"thing":"héllo \"☃\""})", R"("héllo \"☃\"")", 0},
    {"testBool", R"({"thing":true})", "true", 0},
    {"testByte", R"({"thing":-128})", "-128", 0},
    {"testI32", R"({"thing":-2147483648})", "-2147483648", 0},
    {"testI64", R"({"thing":"9223372036854775807"})", "9223372036854775807", 0},
    {"testDouble", R"({"thing":-5.25e-10})", "-5.25e-10", 0},
    {"testBinary", R"({"thing":"AAEC/w=="})", R"("AAEC/w==")", 0},
    {"testStruct", R"({"thing":{"string_thing":"s","byte_thing":1,"i32_thing":2,"i64_thing":3}})",
     R"({"string_thing":"s","byte_thing":1,"i32_thing":2,"i64_thing":3})", 0},
    {"testNest", R"({"thing":{"byte_thing":1,"struct_thing":{"string_thing":"in"},"i32_thing":3}})",
     R"({"byte_thing":1,"struct_thing":{"string_thing":"in"},"i32_thing":3})", 0},
    {"testMap", R"({"thing":{"1":-1,"2":-2}})", R"({"1":-1,"2":-2})", 0},
    {"testStringMap", R"({"thing":{"a":"b","":"empty"}})", R"({"a":"b","":"empty"})", 0},
    {"testSet", R"({"thing":[1,2,3]})", "[1,2,3]", 0},
    {"testList", R"({"thing":[3,-1,3]})", "[3,-1,3]", 0},
    {"testEnum", R"({"thing":"EIGHT"})", R"("EIGHT")", 0},
    {"testTypedef", R"({"thing":-7})", "-7", 0},
    {"testMapMap", R"({"hello":1})", R"({"-4":{"-4":-4,"-3":-3,"-2":-2,"-1":-1},"4":{"1":1,"2":2,"3":3,"4":4}})", 0},
    {"testInsanity", R"({"argument":{"userMap":{"FIVE":5},"xtructs":[]}})",
     R"({"1":{"TWO":{"userMap":{"FIVE":5},"xtructs":[]},"THREE":{"userMap":{"FIVE":5},"xtructs":[]}},"2":{"SIX":{}}})", 0},
    {"testMulti", R"({"arg0":1,"arg1":2,"arg2":3,"arg3":{"1":"x"},"arg4":"ONE","arg5":5})",
     R"({"string_thing":"Hello2","byte_thing":1,"i32_thing":2,"i64_thing":3})", 0},
    {"testException", R"({"arg":"Xception"})", R"({"Xception":{"errorCode":1001,"message":"Xception"}})", 1},
    {"testException", R"({"arg":"TException"})", "", 4},
    {"testException", R"({"arg":"none"})", "null", 0},
    {"testMultiException", R"({"arg0":"Xception2","arg1":"x"})",
     R"({"Xception2":{"errorCode":2002,"struct_thing":{"string_thing":"This is an Xception2"}}})", 1},
    {"testMultiException", R"({"arg0":"Xception","arg1":"x"})",
     R"({"Xception":{"errorCode":1001,"message":"This is an Xception"}})", 1},
    {"testMultiException", R"({"arg0":"no","arg1":"back"})", R"({"string_thing":"back"})", 0},
    {"testOneway", R"({"secondsToSleep":3})", "null", 0},
};

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void call_everything(const std::string& endpoint, const std::string& flags) {
  for (const Case& c : kCases) {
    INFO(c.method << " " << c.args << flags);
    auto start = std::chrono::steady_clock::now();
    auto r = run_cli(endpoint + " ThriftTest." + c.method + " " + quote(c.args) + flags, kEnv);
    CHECK(r.exit_code == c.exit_code);
    CHECK(r.out == (c.out[0] ? std::string(c.out) + "\n" : std::string()));
    // A oneway call returns without waiting for the server's three seconds
    // of sleep (over HTTP the POST itself waits for the server's response).
    // The margin is for a sanitizer build on a loaded machine, where one
    // process start and call took up to a second.
    if (std::string(c.method) == "testOneway" && endpoint.rfind("http", 0) != 0)
      CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2500));
  }
}

}  // namespace

TEST_CASE("every ThriftTest method works in every protocol over buffered and framed sockets",
          "[integration][thrifttest]") {
  for (const char* protocol : {"binary", "compact", "json"}) {
    for (const char* transport : {"buffered", "framed"}) {
      PythonServer server(THRIFT_CALL_SOURCE_DIR "/tests/integration/thrifttest_server.py",
                          {"--port", "0", "--protocol", protocol, "--transport", transport});
      call_everything(server.endpoint(), std::string(" -p ") + protocol + " -t " + transport);
    }
  }
}

TEST_CASE("every ThriftTest method works over THeader, HTTP and multiplexed", "[integration][thrifttest]") {
  {
    PythonServer server(THRIFT_CALL_SOURCE_DIR "/tests/integration/thrifttest_server.py",
                        {"--port", "0", "--transport", "header"});
    call_everything(server.endpoint(), " -t header -p binary");
    call_everything(server.endpoint(), " -t header -p compact");
  }
  for (const char* protocol : {"binary", "compact", "json"}) {
    PythonServer server(THRIFT_CALL_SOURCE_DIR "/tests/integration/thrifttest_server.py",
                        {"--port", "0", "--transport", "http", "--protocol", protocol});
    call_everything("http://" + server.endpoint() + "/", std::string(" -p ") + protocol);
  }
  PythonServer server(THRIFT_CALL_SOURCE_DIR "/tests/integration/thrifttest_server.py",
                      {"--port", "0", "--multiplex"});
  call_everything(server.endpoint(), " --multiplex");
  auto r = run_cli(server.endpoint() + " SecondService.secondtestString '{\"thing\":\"x\"}' --multiplex", kEnv);
  CHECK(r.out == "\"testString(\\\"x\\\")\"\n");
}
