// The REPL's line assembly and entry parsing.
#include <catch2/catch.hpp>

#include "core/repl/input.h"

using namespace thrift_call::repl;

TEST_CASE("an entry is complete once its braces balance outside strings", "[repl]") {
  InputAssembler input;
  CHECK_FALSE(input.add("Calculator.add {\"a\": 1,"));
  CHECK(input.pending());
  CHECK_FALSE(input.add("  \"b\": \"}{[\""));
  CHECK(input.add("}"));
  CHECK(input.take() == "Calculator.add {\"a\": 1,\n  \"b\": \"}{[\"\n}");
  CHECK_FALSE(input.pending());
  CHECK(input.add(".use Calculator {"));  // a command is one line
  input.take();
  CHECK(input.add("ping"));
}

TEST_CASE("open_depth skips strings and escaped quotes", "[repl]") {
  CHECK(open_depth("{\"a\": [1, {\"b\": \"\\\"{\"") == 3);
  CHECK(open_depth("{}") == 0);
  CHECK(open_depth("}}") == -2);
}

TEST_CASE("entries parse into calls and commands", "[repl]") {
  Entry call = parse_entry("  Calculator.add {\"a\":1}  ");
  CHECK(call.kind == Entry::Kind::Call);
  CHECK(call.name == "Calculator.add");
  CHECK(call.json == "{\"a\":1}");
  Entry bare = parse_entry("recall");
  CHECK(bare.kind == Entry::Kind::Call);
  CHECK(bare.json == "{}");
  Entry glued = parse_entry("add{\"a\":1}");
  CHECK(glued.name == "add");
  CHECK(glued.json == "{\"a\":1}");
  Entry command = parse_entry(".header X-Trace a b");
  CHECK(command.kind == Entry::Kind::Command);
  CHECK(command.name == ".header");
  CHECK(command.words == std::vector<std::string>{"X-Trace", "a", "b"});
  CHECK(command.rest == "X-Trace a b");
  CHECK(parse_entry("   ").kind == Entry::Kind::Empty);
  CHECK(parse_entry("# a comment").kind == Entry::Kind::Empty);
}
