// Resolution of IDL that is large or deep where real IDL is small: typedef
// chains, extends chains, constants made of constants. Linear time, no
// recursion per link, and a limit where the result would not be.
#include <catch2/catch.hpp>
#include <chrono>

#include "../support/sanitizer.h"
#include "base/error.h"
#include "idl/parser.h"
#include "idl_test_util.h"

using namespace thrift_call;
using namespace thrift_call::idl;
using thrift_call::test::load_text;

namespace {

std::string error_of(const std::string& text) {
  try {
    load_text(text);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Idl);
    return e.what();
  }
  return "no error";
}

// typedef i32 T0, typedef T0 T1, ... typedef T<links-1> T<links>.
std::string typedef_chain(int links) {
  std::string idl = "typedef i32 T0\n";
  for (int i = 1; i <= links; ++i) idl += "typedef T" + std::to_string(i - 1) + " T" + std::to_string(i) + "\n";
  return idl;
}

// Wall time since `start`, as a normal build would take it: under the
// sanitizers the same work is several times slower (kTimeScale).
auto elapsed_since(std::chrono::steady_clock::time_point start) {
  return (std::chrono::steady_clock::now() - start) / thrift_call::test::kTimeScale;
}

}  // namespace

TEST_CASE("a typedef chain is within the nesting limit or says it is too deep, and only a cycle refers to itself",
          "[idl][resolver][limits]") {
  Schema ok = load_text(typedef_chain(kMaxIdlNesting) + "struct S { 1: T" + std::to_string(kMaxIdlNesting) + " x }");
  CHECK(ok.find_type("S")->struct_def->fields[0].type->true_type()->kind == TypeKind::I32);

  auto started = std::chrono::steady_clock::now();
  std::string error = error_of(typedef_chain(30000));
  CHECK(error.find("nests deeper than 100 levels through typedefs") != std::string::npos);
  CHECK(error.find("refers to itself") == std::string::npos);
  // Declared the other way round (each link refers to the one after it).
  std::string backwards;
  for (int i = 0; i < 30000; ++i) backwards += "typedef T" + std::to_string(i + 1) + " T" + std::to_string(i) + "\n";
  backwards += "typedef i32 T30000\n";
  CHECK(error_of(backwards).find("nests deeper than 100 levels through typedefs") != std::string::npos);

  // A cycle of any length still refers to itself.
  std::string cycle;
  for (int i = 0; i < 30000; ++i) cycle += "typedef T" + std::to_string((i + 1) % 30000) + " T" + std::to_string(i) + "\n";
  CHECK(error_of(cycle).find("test.thrift:1:12: typedef \"T0\" refers to itself") != std::string::npos);
  CHECK(error_of("typedef list<L> L").find("typedef \"L\" refers to itself") != std::string::npos);
  CHECK(error_of("typedef map<string, B> A\ntypedef set<A> B").find("refers to itself") != std::string::npos);
  CHECK(elapsed_since(started) < std::chrono::seconds(5));
}

TEST_CASE("nesting through typedefs counts containers and links together", "[idl][resolver][limits]") {
  // typedef list<L0> L1 ...: each one level deeper than the one before.
  std::string idl = "typedef i32 L0\n";
  for (int i = 1; i <= 60; ++i) idl += "typedef list<L" + std::to_string(i - 1) + "> L" + std::to_string(i) + "\n";
  CHECK(error_of(idl).find("typedef \"L51\" nests deeper than 100 levels through typedefs") != std::string::npos);
}

TEST_CASE("a typedef that doubles at each link is bounded by the types it expands to", "[idl][resolver][limits]") {
  // typedef map<T0, T0> T1 ...: 2^(n+2) - 3 types with the links followed.
  std::string idl = "typedef i32 T0\n";
  for (int i = 1; i <= 40; ++i)
    idl += "typedef map<T" + std::to_string(i - 1) + ", T" + std::to_string(i - 1) + "> T" + std::to_string(i) + "\n";
  CHECK(error_of(idl).find("typedef \"T15\" expands to more than 65536 types through typedefs") != std::string::npos);
}

TEST_CASE("an extends chain of 4,000 services resolves and lists in linear time", "[idl][resolver][limits]") {
  std::string idl = "service S0 { void f0() }\n";
  for (int i = 1; i < 4000; ++i)
    idl += "service S" + std::to_string(i) + " extends S" + std::to_string(i - 1) + " { void f" + std::to_string(i) +
           "() }\n";
  auto started = std::chrono::steady_clock::now();
  Schema schema = load_text(idl);
  const Service* last = schema.find_service("S3999");
  REQUIRE(last);
  CHECK(last->all_functions().size() == 4000);
  CHECK(last->all_functions().back()->name == "f0");
  CHECK(elapsed_since(started) < std::chrono::seconds(2));

  CHECK(error_of("service A extends B {}\nservice B extends A {}").find("extends itself") != std::string::npos);
  CHECK(error_of("service A extends A {}").find("service \"A\" extends itself") != std::string::npos);
}

TEST_CASE("a function redefined lower down an extends chain hides the inherited one", "[idl][resolver]") {
  Schema schema = load_text("service A { i32 f(), void g() }\nservice B extends A { string f() }");
  auto all = schema.find_service("B")->all_functions();
  REQUIRE(all.size() == 2);
  CHECK(all[0]->name == "f");
  CHECK(all[0]->service->name == "B");
  CHECK(all[1]->name == "g");
}

TEST_CASE("constants that name constants: a chain is bounded, and so is what they expand to",
          "[idl][resolver][limits]") {
  // const i32 C0 = C1, C1 = C2, ...: each link was a recursion.
  std::string chain;
  for (int i = 0; i < 100000; ++i) chain += "const i32 C" + std::to_string(i) + " = C" + std::to_string(i + 1) + "\n";
  chain += "const i32 C100000 = 7\n";
  auto started = std::chrono::steady_clock::now();
  CHECK(error_of(chain).find("nesting deeper than 100 levels") != std::string::npos);

  // const list<..> D1 = [D0, D0], D2 = [D1, D1], ...: 2^40 values.
  std::string doubling = "const i32 D0 = 1\n";
  std::string type = "i32";
  for (int i = 1; i <= 40; ++i) {
    type = "list<" + type + ">";
    doubling += "const " + type + " D" + std::to_string(i) + " = [D" + std::to_string(i - 1) + ", D" +
                std::to_string(i - 1) + "]\n";
  }
  CHECK(error_of(doubling).find("constants expand to more than 1048576 values") != std::string::npos);
  CHECK(elapsed_since(started) < std::chrono::seconds(5));

  // A few levels are fine, and still refer to themselves when they do.
  Schema small = load_text("const i32 A = B\nconst i32 B = 3\nconst list<i32> L = [A, B, A]");
  CHECK(small.roots().front()->find_const("L")->value.list.size() == 3);
  CHECK(error_of("const i32 A = B\nconst i32 B = A").find("refers to itself") != std::string::npos);
}

TEST_CASE("includes nest at most 100 files deep", "[idl][loader][limits]") {
  // f0 includes f1, which includes f2, ...: each a recursion of the loader.
  auto chain = [](int files) {
    test::ScratchDir dir;
    for (int i = 0; i < files; ++i)
      dir.write("f" + std::to_string(i) + ".thrift", "include \"f" + std::to_string(i + 1) + ".thrift\"\n");
    dir.write("f" + std::to_string(files) + ".thrift", "struct End {}\n");
    try {
      load_schema({(dir.path() / "f0.thrift").string()}, {});
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Idl);
      return std::string(e.what());
    }
    return std::string("loaded");
  };
  CHECK(chain(kMaxIdlNesting - 1) == "loaded");
  std::string error = chain(1000);
  CHECK(error.find("f99.thrift:1:1: includes nested deeper than 100 files") != std::string::npos);
}
