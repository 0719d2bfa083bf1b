// A server built from another version of the IDL than the client has: what
// its reply holds that the client's IDL does not describe is shown raw, with
// a warning, never dropped and never turned into a TApplicationException.
#include <catch2/catch.hpp>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "../support/process.h"

using thrift_call::test::count_lines;
using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;
using thrift_call::test::ServerProcess;

namespace {

// The server's IDL (v2) and the client's (v1) differ in each method's result.
const char* kServerIdl = R"(
exception Gone { 1: string why }
service Drift {
  i32 count()
  string label()
  i32 lookup() throws (1: Gone gone)
}
)";
const char* kClientIdl = R"(
service Drift {
  void count()
  i32 label()
  i32 lookup()
}
)";
const char* kResponses = R"({
  "Drift.count": {"return": 7},
  "Drift.label": {"return": "seven"},
  "Drift.lookup": {"throw": {"Gone": {"why": "moved"}}}
})";

}  // namespace

TEST_CASE("a reply field the client's IDL does not describe is shown raw, with a warning", "[integration][call][idl]") {
  ScratchDir dir;
  std::string server_idl = dir.write("server/drift.thrift", kServerIdl);
  std::string client_idl = dir.write("client/drift.thrift", kClientIdl);
  std::string responses = dir.write("responses.json", kResponses);
  ServerProcess server({THRIFT_CALL_BINARY, "serve", server_idl, "--responses", responses, "--listen", "127.0.0.1:0",
                        "--no-record"});
  std::string endpoint = "127.0.0.1:" + server.address();
  const std::string idl = " --idl '" + client_idl + "' -p binary -t buffered";

  SECTION("a void method whose server returns a value prints it") {
    auto r = run_cli(endpoint + " Drift.count" + idl);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"0:i32\":7}\n");
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.find("warning: field 0 (i32) of the reply is not in the IDL's count_result: shown raw; the IDL may "
                     "be out of date") != std::string::npos);
  }
  SECTION("a return value of another type") {
    auto r = run_cli(endpoint + " Drift.label" + idl);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"0:string\":\"seven\"}\n");
    CHECK(r.err.find("of another type than the IDL's label_result") != std::string::npos);
  }
  SECTION("an exception the IDL does not declare is a declared exception, raw, exit 1") {
    auto r = run_cli(endpoint + " Drift.lookup" + idl);
    CHECK(r.exit_code == 1);
    CHECK(r.out == "{\"1:struct\":{\"1:string\":\"moved\"}}\n");
    CHECK(r.err.find("field 1 (struct) of the reply is not in the IDL's lookup_result") != std::string::npos);
    CHECK(r.err.find("MISSING_RESULT") == std::string::npos);
  }
  SECTION("-q keeps the value and drops the warning") {
    auto r = run_cli("-q " + endpoint + " Drift.count" + idl);
    CHECK(r.out == "{\"0:i32\":7}\n");
    CHECK(r.err.empty());
  }
}

TEST_CASE("a call with field names and no IDL found says where it looked, and sends nothing", "[integration][call][idl]") {
  ScratchDir empty;
  auto r = run_cli("127.0.0.1:1 PersonService.getPerson '{\"name\":\"Ann\"}'", "", empty.path().string());
  CHECK(r.exit_code == 2);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("no IDL files found, and \"name\" is a field name; give --idl FILE or set THRIFT_CALL_IDL") !=
        std::string::npos);
  // Raw keys still go out without an IDL (here: to no server at all).
  r = run_cli("127.0.0.1:1 PersonService.getPerson '{\"1:string\":\"Ann\"}'", "", empty.path().string());
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("cannot connect") != std::string::npos);
}
