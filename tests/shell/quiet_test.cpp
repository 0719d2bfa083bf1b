// -q silences warnings in every verb that reads an IDL; without it they show.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"

using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;
using thrift_call::test::slurp;

TEST_CASE("the -q flag silences IDL warnings in every verb", "[quiet]") {
  ScratchDir dir;
  // An implicit field id: a warning, not an error.
  std::string idl = dir.write("w.thrift", "struct S { string a }\nservice Svc { S get() }\n");
  const std::string with_idl = " --idl '" + idl + "'";
  for (const std::string& verb : {"list" + with_idl, "describe S" + with_idl, "template Svc.get" + with_idl,
                                  "schema '" + idl + "'", "encode S '{}' --hex" + with_idl,
                                  "decode --type S --input hex <<< 00" + with_idl}) {
    INFO(verb);
    auto loud = run_cli(verb);
    CHECK(loud.exit_code == 0);
    CHECK(loud.err.find("warning: no field id given") != std::string::npos);
    auto quiet = run_cli("-q " + verb);
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.err.empty());
  }
  // serve: still running after its "listening on" line, nothing on stderr.
  std::string err = (dir.path() / "serve.err").string();
  for (std::string quiet : {"", "-q "}) {
    std::string command =
        "timeout -s INT 2 '" THRIFT_CALL_BINARY "' " + quiet + "serve '" + idl + "' --listen 0 >/dev/null 2>'" + err + "'";
    CHECK(WEXITSTATUS(std::system(command.c_str())) == 124);  // stopped by timeout: it was still serving
    CHECK(slurp(err).empty() == !quiet.empty());
  }
}
