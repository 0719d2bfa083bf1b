// What cli/main.cpp decides before any verb runs: the verb or the default
// call, help, and the errors a new user meets first.
#include <catch2/catch.hpp>

#include "run_cli.h"

using thrift_call::test::count_lines;
using thrift_call::test::run_cli;

namespace {
const std::string kForms =
    "(ENDPOINT is host:port, [::1]:9090, unix:/path, http://host:port/path or https://host:port/path)";

// One line on stderr, exit 2, nothing on stdout.
void check_usage_error(const thrift_call::test::CliResult& r, const std::string& expected) {
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "thrift-call: " + expected + "\n");
  CHECK(count_lines(r.err) == 1);
}
}  // namespace

TEST_CASE("an endpoint that is not one says what is wrong with it and shows the forms", "[cli][main][endpoint]") {
  const std::string idl = " --idl examples/person.thrift";
  check_usage_error(run_cli("localhost PersonService.getPerson" + idl),
                    "ENDPOINT \"localhost\": no port (localhost:9090?) " + kForms);
  check_usage_error(run_cli("localhost: PersonService.getPerson" + idl),
                    "ENDPOINT \"localhost:\": the port must be a number from 1 to 65535 " + kForms);
  check_usage_error(run_cli("localhost:9090/ PersonService.getPerson" + idl),
                    "ENDPOINT \"localhost:9090/\": a path needs http:// (http://localhost:9090/); TCP is plain "
                    "host:port " + kForms);
  check_usage_error(run_cli("tcp://localhost:9090 PersonService.getPerson" + idl),
                    "ENDPOINT \"tcp://localhost:9090\": thrift-call does not know tcp://; TCP is plain host:port, "
                    "HTTP http:// or https:// " + kForms);
  // Options before it change nothing.
  check_usage_error(run_cli("-p compact localhost PersonService.getPerson" + idl),
                    "ENDPOINT \"localhost\": no port (localhost:9090?) " + kForms);
}

TEST_CASE("the method before the endpoint is named as swapped", "[cli][main][endpoint]") {
  check_usage_error(run_cli("PersonService.getPerson localhost:9090 '{}' --idl examples/person.thrift"),
                    "the ENDPOINT goes before the method: thrift-call localhost:9090 PersonService.getPerson " + kForms);
}

TEST_CASE("a mistyped verb or option suggests the nearest", "[cli][main][did-you-mean]") {
  check_usage_error(run_cli("lsit --idl examples/person.thrift"),
                    "no verb \"lsit\" (did you mean \"list\"?) (see thrift-call --help)");
  check_usage_error(run_cli("list --tpyes --idl examples/person.thrift"),
                    "list has no option \"--tpyes\" (did you mean \"--types\"?) (see thrift-call list --help)");
  check_usage_error(run_cli("localhost:9090 PersonService.getPerson --protcol binary --idl examples/person.thrift"),
                    "call has no option \"--protcol\" (did you mean \"--protocol\"?) (see thrift-call call --help)");
}

TEST_CASE("thrift-call help [VERB] prints what --help prints", "[cli][main][help]") {
  auto help = run_cli("help");
  CHECK(help.exit_code == 0);
  CHECK(help.out == run_cli("--help").out);
  CHECK(help.out.find("thrift-call help VERB is thrift-call VERB --help") != std::string::npos);
  auto call_help = run_cli("help call");
  CHECK(call_help.exit_code == 0);
  CHECK(call_help.out == run_cli("call --help").out);
  CHECK(call_help.out.find("[::1]:9090, unix:/path, http://host:port/path") != std::string::npos);
  CHECK(call_help.out.find("THRIFT_CALL_IDL") != std::string::npos);
  CHECK(run_cli("help decode").out == run_cli("decode --help").out);
  check_usage_error(run_cli("help lst"), "no verb \"lst\" (did you mean \"list\"?) (thrift-call help VERB)");
}
