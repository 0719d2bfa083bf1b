// The REPL's line assembly and entry parsing.
#include <catch2/catch.hpp>

#include "core/user_input/json_input.h"
#include "core/repl/input.h"
#include "base/error.h"

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

TEST_CASE("an entry whose braces never balance stops at the whole-input limit", "[repl]") {
  InputAssembler input;
  std::string line(1 << 20, ' ');
  line.front() = '{';
  size_t lines = 0;
  CHECK_THROWS_AS(
      [&] {
        for (;; ++lines) input.add(line);
      }(),
      thrift_call::Error);
  CHECK(lines == thrift_call::kMaxWholeInput / (line.size() + 1));
  CHECK_FALSE(input.pending());  // the entry was dropped
}

TEST_CASE("BraceScanner fed line by line agrees with open_depth on the whole text", "[repl]") {
  std::string text = "{\"a\": [1, {\"b\": \"\\\"{\"\n}, \"c\": \"]\"";
  BraceScanner scanner;
  for (size_t at = 0; at < text.size(); at += 3) scanner.feed(std::string_view(text).substr(at, 3));
  CHECK(scanner.depth() == open_depth(text));
}
