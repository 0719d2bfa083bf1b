// The REPL's completion candidates, from a real IDL.
#include <catch2/catch.hpp>

#include "../../idl/idl_test_util.h"
#include "core/repl/completion.h"

using namespace thrift_call::repl;
using Candidates = std::vector<std::string>;

namespace {
const char* kIdl = R"(
enum Color { RED = 1, GREEN = 2, BLUE = 3 }
struct Address { 1: string street, 2: string city }
struct Person { 1: string name, 2: Address home, 3: Color favourite, 4: list<Address> past, 5: bool active }
service PersonService {
  Person getPerson(1: string name),
  void savePerson(1: Person person),
}
service Other { void ping() }
)";
}

TEST_CASE("completion offers dot-commands, services and methods", "[repl][completion]") {
  auto schema = thrift_call::test::load_text(kIdl);
  Completion c = complete(&schema, "", ".u");
  CHECK(c.start == 0);
  CHECK(c.candidates == Candidates{".use"});
  CHECK(complete(&schema, "", ".use P").candidates == Candidates{"PersonService"});
  CHECK(complete(&schema, "", "Pers").candidates == Candidates{"PersonService."});
  c = complete(&schema, "", "PersonService.get");
  CHECK(c.candidates == Candidates{"PersonService.getPerson"});
  CHECK(c.start == 0);
  // Once a service is chosen, its bare method names too.
  CHECK(complete(&schema, "PersonService", "sa").candidates == Candidates{"savePerson"});
  CHECK(complete(&schema, "", ".set pro").candidates == Candidates{"protocol"});
  CHECK(complete(&schema, "", ".set protocol c").candidates == Candidates{"compact"});
  CHECK(complete(nullptr, "", ".verbose o").candidates == Candidates{"off", "on"});
}

TEST_CASE("completion inside the JSON offers argument and nested field names and enum values",
          "[repl][completion]") {
  auto schema = thrift_call::test::load_text(kIdl);
  std::string line = "PersonService.savePerson {\"pe";
  Completion c = complete(&schema, "", line);
  CHECK(c.candidates == Candidates{"\"person\": "});
  CHECK(c.start == line.size() - 3);
  line = "savePerson {\"person\": {\"name\": \"Ann\", \"ho";
  c = complete(&schema, "PersonService", line);
  CHECK(c.candidates == Candidates{"\"home\": "});
  CHECK(c.start == line.size() - 3);
  // An unquoted start, and every field after a comma.
  CHECK(complete(&schema, "PersonService", "savePerson {\"person\": {ac").candidates == Candidates{"\"active\": "});
  CHECK(complete(&schema, "PersonService", "savePerson {\"person\": {\"name\": \"x\", ").candidates ==
        Candidates{"\"active\": ", "\"favourite\": ", "\"home\": ", "\"name\": ", "\"past\": "});
  // Two levels down, through a list.
  CHECK(complete(&schema, "PersonService", "savePerson {\"person\": {\"past\": [{\"c").candidates ==
        Candidates{"\"city\": "});
  CHECK(complete(&schema, "PersonService", "savePerson {\"person\": {\"home\": {\"street\": \"x\"}, \"fav")
            .candidates == Candidates{"\"favourite\": "});
  // Enum values, quoted or not yet.
  CHECK(complete(&schema, "PersonService", "savePerson {\"person\": {\"favourite\": \"G").candidates ==
        Candidates{"\"GREEN\""});
  CHECK(complete(&schema, "PersonService", "savePerson {\"person\": {\"favourite\": ").candidates ==
        Candidates{"\"BLUE\"", "\"GREEN\"", "\"RED\""});
  CHECK(complete(&schema, "PersonService", "savePerson {\"person\": {\"active\": t").candidates == Candidates{"true"});
  // Across the lines of an unfinished entry.
  CHECK(complete(&schema, "", "PersonService.savePerson {\n  \"person\": {\n    \"na").candidates ==
        Candidates{"\"name\": "});
  // Nothing for an unknown method or without an IDL.
  CHECK(complete(&schema, "", "Nope.x {\"a").candidates.empty());
  CHECK(complete(nullptr, "", "PersonService.savePerson {\"pe").candidates.empty());
}
