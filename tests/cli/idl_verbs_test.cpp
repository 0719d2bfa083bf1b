// list, describe, template and schema as a user runs them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "../idl/idl_test_util.h"
#include "run_cli.h"

using thrift_call::test::count_lines;
using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;

TEST_CASE("list prints every Service.method of the IDL, inherited ones marked", "[cli][list]") {
  auto r = run_cli("list --idl examples/person.thrift");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "PersonService.getPerson\nPersonService.savePerson\n");

  ScratchDir dir;
  dir.write("base.thrift", "service Base { void ping() }");
  dir.write("child.thrift", "include \"base.thrift\"\nservice Child extends base.Base { i32 get() }");
  r = run_cli("list --idl child.thrift", "", dir.path().string());
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Child.get\n") != std::string::npos);
  CHECK(r.out.find("Child.ping  (from base.Base)\n") != std::string::npos);
}

TEST_CASE("IDL discovery: --idl, then THRIFT_CALL_IDL files or folders, then ./*.thrift", "[cli][discovery]") {
  auto r = run_cli("list", "THRIFT_CALL_IDL=examples/calculator.thrift:examples/weather.thrift");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Calculator.divide") != std::string::npos);
  CHECK(r.out.find("WeatherService.ping") != std::string::npos);
  CHECK(r.out.find("PersonService") == std::string::npos);

  r = run_cli("list", "THRIFT_CALL_IDL=examples");
  CHECK(r.out.find("UserService.deleteUser") != std::string::npos);

  r = run_cli("list", "", std::string(THRIFT_CALL_SOURCE_DIR) + "/examples");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("PersonService.getPerson") != std::string::npos);

  ScratchDir empty;
  r = run_cli("list", "", empty.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no IDL files found") != std::string::npos);
  CHECK(r.err.find(empty.path().string()) != std::string::npos);
  CHECK(count_lines(r.err) == 1);
}

TEST_CASE("the service name picks the file, so a broken IDL beside it does not matter", "[cli][discovery]") {
  ScratchDir dir;
  dir.write("good.thrift", "service Good { i32 f(1: i32 x) }");
  dir.write("broken.thrift", "service Broken { i32 f(");
  auto r = run_cli("template Good.f", "", dir.path().string());
  CHECK(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out) == nlohmann::json{{"x", 0}});
}

TEST_CASE("describe shows services, methods and types as IDL with their docs", "[cli][describe]") {
  auto r = run_cli("describe PersonService --idl examples/person.thrift");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("service person.PersonService {") != std::string::npos);
  CHECK(r.out.find("Person getPerson(1: string name) throws (1: PersonNotFound notFound)") != std::string::npos);
  CHECK(r.out.find("Returns the person with this name.") != std::string::npos);

  r = run_cli("describe Person --idl examples/person.thrift");
  CHECK(r.out.find("1: required string name") != std::string::npos);

  r = run_cli("describe PersonService.savePerson --idl examples/person.thrift");
  CHECK(r.out.find("void savePerson(1: Person person)") != std::string::npos);

  r = run_cli("describe Nobody --idl examples/person.thrift");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "thrift-call: nothing named \"Nobody\" in the IDL (try `thrift-call list`)\n");
}

TEST_CASE("template fills IDL defaults and placeholders, nested structs expanded", "[cli][template]") {
  ScratchDir dir;
  dir.write("t.thrift", R"(
    enum Color { RED = 1, BLUE = 2 }
    struct Inner { 1: i64 n = 5, 2: list<Color> cs }
    struct Node { 1: string name, 2: optional Node next, 3: Inner inner }
    service S { void put(1: Node node, 2: Color c = Color.BLUE, 3: map<i32, binary> m, 4: bool flag) }
  )");
  auto r = run_cli("template S.put --idl t.thrift", "", dir.path().string());
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::ordered_json::parse(r.out);
  CHECK(j.dump() ==
        R"({"node":{"name":"","next":{},"inner":{"n":5,"cs":["RED"]}},"c":"BLUE","m":{"0":""},"flag":false})");
}

TEST_CASE("schema --format thrift-json writes what thrift --gen json writes", "[cli][schema]") {
  ScratchDir dir;
  auto r = run_cli("schema --format thrift-json examples/calculator.thrift");
  REQUIRE(r.exit_code == 0);
  auto ours = nlohmann::json::parse(r.out);
  std::string cmd = "thrift --gen json -out '" + dir.path().string() + "' examples/calculator.thrift";
  REQUIRE(std::system(("cd '" THRIFT_CALL_SOURCE_DIR "' && " + cmd).c_str()) == 0);
  auto reference = nlohmann::json::parse(thrift_call::test::slurp(dir.path() / "calculator.json"));
  CHECK(ours == reference);

  r = run_cli("schema examples/calculator.thrift");
  REQUIRE(r.exit_code == 0);
  auto rich = nlohmann::json::parse(r.out);
  CHECK(rich["services"][0]["functions"][3]["throws"][0]["type"]["name"] == "DivideByZero");
  CHECK(rich["services"][0]["location"]["line"] == 7);
}

TEST_CASE("a broken IDL is one line file:line:col on stderr and exit code 2", "[cli][bad-input]") {
  ScratchDir dir;
  dir.write("bad.thrift", "struct S {\n  1: i32 a,\n  1: i32 b\n}\n");
  auto r = run_cli("list --idl bad.thrift", "", dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "thrift-call: bad.thrift:3:10: field id 1 of \"b\" is already used by \"a\" (bad.thrift:2:10)\n");

  r = run_cli("list --idl missing.thrift", "", dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "thrift-call: missing.thrift: cannot open \"missing.thrift\"\n");

  r = run_cli("frobnicate");
  CHECK(r.exit_code == 2);
  CHECK(count_lines(r.err) == 1);
}

TEST_CASE("the top-level --help shows the example, the exit codes and the environment, and --version works", "[cli][help]") {
  auto r = run_cli("--help");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("PersonService.getPerson '{\"name\":\"Ann\"}'") != std::string::npos);
  CHECK(r.out.find("THRIFT_CALL_IDL") != std::string::npos);
  CHECK(r.out.find("4  protocol error") != std::string::npos);
  r = run_cli("--version");
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("thrift-call ", 0) == 0);
}

TEST_CASE("list SERVICE lists that service's methods only, and list --types the types with their kind",
          "[cli][list]") {
  auto r = run_cli("list Calculator", "THRIFT_CALL_IDL=examples");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "Calculator.add\nCalculator.subtract\nCalculator.multiply\nCalculator.divide\nCalculator.store\n"
                 "Calculator.recall\n");

  r = run_cli("list --types --idl examples/person.thrift");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "struct Person\nexception PersonNotFound\n");

  ScratchDir dir;
  dir.write("kinds.thrift",
            "enum Colour { RED }\ntypedef i64 Id\nunion Shape { 1: i32 side }\nstruct Box { 1: Id id }\n");
  r = run_cli("list --types --idl kinds.thrift", "", dir.path().string());
  CHECK(r.out == "enum Colour\ntypedef Id\nunion Shape\nstruct Box\n");

  r = run_cli("list Calculater", "THRIFT_CALL_IDL=examples");
  CHECK(r.exit_code == 2);
  CHECK(r.err ==
        "thrift-call: no service \"Calculater\" in the IDL (did you mean \"Calculator\"?) (try `thrift-call list`)\n");
}

TEST_CASE("an unknown name in describe, template or encode suggests the nearest ones", "[cli][did-you-mean]") {
  auto r = run_cli("describe Persn --idl examples/person.thrift");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "thrift-call: nothing named \"Persn\" in the IDL (did you mean \"Person\"?) (try `thrift-call list`)\n");

  r = run_cli("template PersonService.getPersn --idl examples/person.thrift");
  CHECK(r.err.find("(did you mean \"PersonService.getPerson\"?)") != std::string::npos);

  // A bare method name: the Service.method it is.
  r = run_cli("template getPerson --idl examples/person.thrift");
  CHECK(r.err.find("(did you mean \"PersonService.getPerson\"?)") != std::string::npos);

  r = run_cli("encode persn '{}' --idl examples/person.thrift");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "thrift-call: no type named \"persn\" in the IDL (did you mean \"Person\"?) (try `thrift-call list "
                 "--types`)\n");

  // Nothing close: nothing suggested.
  r = run_cli("describe Zebra --idl examples/person.thrift");
  CHECK(r.err == "thrift-call: nothing named \"Zebra\" in the IDL (try `thrift-call list`)\n");
}

TEST_CASE("an ambiguous short name lists the qualified names that work", "[cli][did-you-mean]") {
  ScratchDir dir;
  dir.write("a.thrift", "struct Item { 1: i32 x }\nservice Shop { void buy() }\n");
  dir.write("b.thrift", "struct Item { 1: string y }\nservice Store { void buy() }\n");
  auto r = run_cli("describe Item", "", dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("\"Item\" is ambiguous: a.Item, b.Item") != std::string::npos);
  r = run_cli("template buy", "", dir.path().string());
  CHECK(r.err.find("(did you mean \"Shop.buy\" or \"Store.buy\"?)") != std::string::npos);
}

TEST_CASE("schema and template print an IDL whose doc comments and strings hold bytes that are not UTF-8",
          "[cli][schema][bad-input]") {
  // Found by tests/fuzz/idl_fuzz.cpp: exit 70, "internal error: ... invalid UTF-8 byte".
  ScratchDir dir;
  dir.write("latin1.thrift", "/** caf\xe9 */\nstruct S { 1: string s = \"\xff\" }\nservice Svc { void f(1: S s) }\n");
  for (const char* format : {"json", "thrift-json"}) {
    INFO(format);
    auto r = run_cli(std::string("schema --format ") + format + " latin1.thrift", "", dir.path().string());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("caf\xEF\xBF\xBD") != std::string::npos);
  }
  auto r = run_cli("template Svc.f --idl latin1.thrift", "", dir.path().string());
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\xEF\xBF\xBD") != std::string::npos);
}
