#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

#include "base/error.h"
#include "idl_test_util.h"
#include "../support/sanitizer.h"

using namespace thrift_call;
using namespace thrift_call::idl;
using thrift_call::test::load_text;
using thrift_call::test::ScratchDir;

namespace {
const Program& root(const Schema& s) { return *s.roots().front(); }

// The error a snippet gives, as the one line a user sees.
std::string error_of(const std::string& text) {
  try {
    load_text(text);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Idl);
    return e.diagnostic();
  }
  FAIL("no error for: " << text.substr(0, 200));
  return "";
}
}  // namespace

TEST_CASE("base types, containers and typedef chains resolve to their true type", "[idl][parser]") {
  Schema s = load_text(R"(
    typedef i64 Id
    typedef Id UserId
    struct S {
      1: bool a, 2: byte b, 3: i8 c, 4: i16 d, 5: i32 e, 6: UserId f, 7: double g,
      8: string h, 9: binary i, 10: uuid j, 11: list<string> k, 12: set<i32> l,
      13: map<string, list<map<i32, S>>> m
    })");
  const StructDef& st = *root(s).structs[0];
  REQUIRE(st.fields.size() == 13);
  CHECK(st.field_by_name("b")->type->true_type()->kind == TypeKind::I8);
  CHECK(st.field_by_name("f")->type->kind == TypeKind::Typedef);
  CHECK(st.field_by_name("f")->type->true_type()->kind == TypeKind::I64);
  CHECK(st.field_by_name("j")->type->kind == TypeKind::Uuid);
  CHECK(st.field_by_name("m")->type->to_idl() == "map<string,list<map<i32,S>>>");
  CHECK(st.field_by_id(13)->name == "m");
  CHECK(st.field_by_id(14) == nullptr);
}

TEST_CASE("base-type names can be field names, as from Thrift 0.18", "[idl][parser]") {
  Schema s = load_text("struct T { 1: i8 i8, 2: string string, 3: list<i32> list, 4: required i32 optional }");
  const StructDef& st = *root(s).structs[0];
  CHECK(st.field_by_id(1)->name == "i8");
  CHECK(st.field_by_id(2)->name == "string");
  CHECK(st.field_by_id(3)->name == "list");
  CHECK(st.field_by_id(4)->name == "optional");
  CHECK(st.field_by_id(4)->requiredness == Requiredness::Required);
}

TEST_CASE("enum values are implicit, explicit, negative and hex", "[idl][parser]") {
  Schema s = load_text("enum E { A, B = 10, C, D = -3, E2 = 0x10, F }");
  const EnumDef& e = *root(s).enums[0];
  std::vector<int32_t> values;
  for (const auto& v : e.values) values.push_back(v.value);
  CHECK(values == std::vector<int32_t>{0, 10, 11, -3, 16, 17});
}

TEST_CASE("an enum value that does not fit in i32 is an error", "[idl][parser]") {
  CHECK(error_of("enum E { A = 4294967296 }").find("does not fit in i32") != std::string::npos);
}

TEST_CASE("fields without ids get -1, -2, ... with a warning, and non-positive ids are replaced", "[idl][parser]") {
  Schema s = load_text("struct S { i32 a, 2: i32 b, i32 c, -5: i32 d, 0: i32 e }");
  const StructDef& st = *root(s).structs[0];
  CHECK(st.field_by_name("a")->id == -1);
  CHECK(st.field_by_name("b")->id == 2);
  CHECK(st.field_by_name("c")->id == -2);
  CHECK(st.field_by_name("d")->id == -3);
  CHECK(st.field_by_name("e")->id == -4);
  CHECK(st.field_by_name("a")->id_assigned);
  CHECK(s.warnings().size() >= 4);
  CHECK(s.warnings()[0].to_string().find("test.thrift:1:") != std::string::npos);
}

TEST_CASE("constants refer to other constants and enum values, in any order", "[idl][parser]") {
  Schema s = load_text(R"(
    const i32 B = A
    const i32 A = 7
    enum Color { RED = 1, GREEN = 2 }
    const Color FAV = Color.GREEN
    const list<Color> ALL = [Color.RED, FAV, GREEN]
    const map<string, list<i32>> M = {"a": [1, A], 'b': []}
    struct P { 1: string name = "x", 2: Color c = Color.RED, 3: double d = 1 }
    const P ONE = {"name": "y", "c": Color.GREEN}
    const bool T = true
    const double E = 1.5e3
  )");
  const Program& p = root(s);
  CHECK(p.find_const("B")->value.integer == 7);
  CHECK(p.find_const("FAV")->value.integer == 2);
  CHECK(p.find_const("ALL")->value.list.size() == 3);
  CHECK(p.find_const("ALL")->value.list[2].integer == 2);
  CHECK(p.find_const("M")->value.map[0].second.list[1].integer == 7);
  CHECK(p.find_const("T")->value.integer == 1);
  CHECK(p.find_const("E")->value.dbl == 1500.0);
  CHECK(p.find_struct("P")->field_by_name("c")->default_value->integer == 1);
}

TEST_CASE("annotations are accepted wherever the grammar allows them", "[idl][parser]") {
  Schema s = load_text(R"(
    namespace xsd test (uri = 'http://x')
    typedef list<i32> (cpp.template = "std::list") L (a = "1")
    enum E { A (x = "y"), B } (e = "1")
    struct S { 1: i32 f (presence = "required"); 2: map<string (u = "8"), i32> m } (cpp.type = "D", bare)
    exception X { 1: string why } (x)
    service V { void f(1: i32 a (b = "c")) throws (1: X x) (fn = "1") } (svc = "1")
  )");
  const Program& p = root(s);
  CHECK(p.find_struct("S")->annotations.size() == 2);
  CHECK(p.find_struct("S")->annotations[1] == std::make_pair(std::string("bare"), std::string("1")));
  CHECK(p.find_typedef("L")->type->annotations.size() == 1);
  CHECK(p.find_service("V")->functions[0]->annotations.size() == 1);
}

TEST_CASE("doc comments attach to the definitions, fields and functions after them", "[idl][parser]") {
  Schema s = load_text(R"(/** The program. */
namespace py x

/**
 * A struct.
 *   indented
 */
struct S {
  /** A field. */
  1: i32 f
}
// not a doc
# not one either
service V {
  /** A function. */
  void f()
}
)");
  const Program& p = root(s);
  CHECK(p.doc == "The program.\n");
  CHECK(p.find_struct("S")->doc == "A struct.\n  indented\n");
  CHECK(p.find_struct("S")->fields[0].doc == "A field.\n");
  CHECK(p.find_service("V")->functions[0]->doc == "A function.\n");
  CHECK(p.find_service("V")->doc.empty());
}

TEST_CASE("doc comments read the same with CRLF line ends, carriage returns dropped", "[idl][parser]") {
  Schema s = load_text("/** The program. */\r\nnamespace py x\r\n\r\n/**\r\n * A struct.\r\n *   indented\r\n */\r\n"
                       "struct S {\r\n  /** A\rfield. */\r\n  1: i32 f\r\n}\r\n");
  const Program& p = root(s);
  CHECK(p.doc == "The program.\n");
  CHECK(p.find_struct("S")->doc == "A struct.\n  indented\n");
  CHECK(p.find_struct("S")->fields[0].doc == "Afield.\n");
}

TEST_CASE("functions get synthetic args and result structs with every exception", "[idl][parser]") {
  Schema s = load_text(R"(
    exception A { 1: string m } exception B { 1: i32 c }
    service S { i64 f(1: i32 x, 2: string y) throws (1: A a, 2: B b), oneway void g(1: i32 x) }
  )");
  const Function* f = s.find_function("S.f");
  REQUIRE(f != nullptr);
  CHECK(f->args.name == "f_args");
  CHECK(f->args.field_by_id(2)->name == "y");
  CHECK(f->result.field_by_id(0)->name == "success");
  CHECK(f->result.field_by_id(2)->name == "b");
  const Function* g = s.find_function("S.g");
  CHECK(g->oneway);
  CHECK(g->result.fields.empty());
}

TEST_CASE("services extend services across includes, and inherited functions are found", "[idl][parser]") {
  ScratchDir dir;
  dir.write("inc/base.thrift", "service Base { void ping() } struct Shared { 1: i32 x }");
  std::string main = dir.write("main.thrift", R"(
    include "inc/base.thrift"
    service Child extends base.Base { base.Shared get(1: base.Shared s) })");
  Schema s = load_schema({main});
  const Service* child = s.find_service("Child");
  REQUIRE(child != nullptr);
  CHECK(child->all_functions().size() == 2);
  CHECK(child->find_function("ping")->service->name == "Base");
  CHECK(s.find_function("Child.get")->return_type->true_type()->struct_def->name == "Shared");
}

TEST_CASE("includes are found next to the including file, then in each -I folder", "[idl][parser]") {
  ScratchDir dir;
  dir.write("lib/shared.thrift", "struct X { 1: i32 a }");
  std::string main = dir.write("src/main.thrift", "include \"shared.thrift\"\nstruct Y { 1: shared.X x }");
  LoadOptions options;
  options.include_dirs = {(dir.path() / "lib").string()};
  Schema s = load_schema({main}, options);
  CHECK(s.programs().size() == 2);
  try {
    load_schema({main});
    FAIL("missing include accepted");
  } catch (const Error& e) {
    CHECK(e.diagnostic().find("main.thrift:1:1: cannot find include \"shared.thrift\"") != std::string::npos);
  }
}

TEST_CASE("one file reached by two paths (a symlink, a/../b, an -I folder) is one program", "[idl][parser]") {
  ScratchDir dir;
  dir.write("lib/shared.thrift", "struct X { 1: i32 a }");
  std::filesystem::create_directory_symlink(dir.path() / "lib", dir.path() / "alias");
  std::string main = dir.write("src/main.thrift",
                               "include \"../lib/shared.thrift\"\ninclude \"../alias/shared.thrift\"\n"
                               "include \"../src/../lib/shared.thrift\"\nstruct Y { 1: shared.X x }");
  Schema s = load_schema({main});
  CHECK(s.programs().size() == 2);
  // A cycle through a symlink is a cycle, not a recursion to the depth limit.
  dir.write("lib/loop.thrift", "include \"../alias/loop.thrift\"");
  try {
    load_schema({(dir.path() / "lib" / "loop.thrift").string()});
    FAIL("cycle accepted");
  } catch (const Error& e) {
    CHECK(e.diagnostic().find("include cycle: ") != std::string::npos);
  }
}

TEST_CASE("a folder given as an IDL file is an error that leaves no file open", "[idl][parser][bad-input]") {
  ScratchDir dir;
  std::filesystem::create_directory(dir.path() / "sub.thrift");
  std::string folder = (dir.path() / "sub.thrift").string();
  auto open_files = [] {
    return std::distance(std::filesystem::directory_iterator("/proc/self/fd"), std::filesystem::directory_iterator{});
  };
  auto before = open_files();
  for (int i = 0; i < 50; ++i) {
    try {
      load_schema({folder});
      FAIL("a folder read as IDL");
    } catch (const Error& e) {
      CHECK(e.diagnostic().find("sub.thrift\" is a folder, not an IDL file") != std::string::npos);
    }
  }
  CHECK(open_files() == before);
}

TEST_CASE("an include cycle is reported with its chain of files", "[idl][parser][bad-input]") {
  ScratchDir dir;
  dir.write("a.thrift", "include \"b.thrift\"");
  dir.write("b.thrift", "include \"c.thrift\"");
  dir.write("c.thrift", "include \"a.thrift\"");
  try {
    load_schema({(dir.path() / "a.thrift").string()});
    FAIL("cycle accepted");
  } catch (const Error& e) {
    std::string msg = e.diagnostic();
    CHECK(msg.find("c.thrift:1:1: include cycle: ") != std::string::npos);
    CHECK(msg.find("a.thrift -> ") != std::string::npos);
    CHECK(msg.find("b.thrift -> ") != std::string::npos);
  }
}

TEST_CASE("bad IDL gives one line naming file, line and column", "[idl][parser][bad-input]") {
  CHECK(error_of("struct S { 1: i32 a").find("test.thrift:1:20: expected ") != std::string::npos);
  CHECK(error_of("struct S {\n  1: string s = \"abc\n}").find("test.thrift:2:17: unterminated string") !=
        std::string::npos);
  CHECK(error_of("/* open\nstruct S {}").find("test.thrift:1:1: unterminated comment") != std::string::npos);
  CHECK(error_of("struct S { 1: i32 a, 1: i32 b }").find("field id 1 of \"b\" is already used by \"a\"") !=
        std::string::npos);
  CHECK(error_of("struct S { 1: i32 a, 2: i32 a }").find("field name \"a\" is already used") != std::string::npos);
  CHECK(error_of("const i32 X = \"text\"").find("test.thrift:1:15: constant \"X\": expected i32, got a string") !=
        std::string::npos);
  CHECK(error_of("const i8 X = 300").find("300 does not fit in i8") != std::string::npos);
  CHECK(error_of("struct S {}\nenum S { A }").find("test.thrift:2:6: \"S\" is already defined (") != std::string::npos);
  CHECK(error_of("struct S { 1: Missing m }").find("unknown type \"Missing\"") != std::string::npos);
  CHECK(error_of("const i64 X = 9876543210987654321").find("does not fit in i64") != std::string::npos);
  CHECK(error_of("service S { void f() throws (1: i32 x) }").find("not an exception") != std::string::npos);
  CHECK(error_of("struct S { 1: i32 a = B }").find("no constant or enum value named \"B\"") != std::string::npos);
  CHECK(error_of("struct S { 70000: i32 a }").find("does not fit in i16") != std::string::npos);
  CHECK(error_of("typedef A B\ntypedef B A").find("refers to itself") != std::string::npos);
}

TEST_CASE("removed and foreign syntax is named, with where it comes from", "[idl][parser][bad-input]") {
  CHECK(error_of("senum S { \"a\" }").find("\"senum\" was removed") != std::string::npos);
  CHECK(error_of("typedef slist L").find("\"slist\" was removed") != std::string::npos);
  CHECK(error_of("package \"x/y\"").find("fbthrift") != std::string::npos);
  CHECK(error_of("@scope.Struct\nstruct S {}").find("fbthrift") != std::string::npos);
  CHECK(error_of("service S { stream<i32> f() }").find("fbthrift") != std::string::npos);
  CHECK(error_of("interaction I { void f() }").find("fbthrift") != std::string::npos);
}

TEST_CASE("binary garbage and truncated files are errors, not crashes", "[idl][parser][bad-input]") {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) & 0xff);
  CHECK(error_of(garbage).find("test.thrift:1:") != std::string::npos);

  const std::string valid = "struct Person { 1: required string name, 2: map<string, list<i32>> m = {\"a\": [1]} }";
  for (size_t cut = 1; cut < valid.size(); ++cut) {
    INFO("cut at " << cut);
    try {
      load_text(valid.substr(0, cut));
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Idl);
    }
  }
}

TEST_CASE("10,000-deep nesting of types or constants is refused, not a stack overflow", "[idl][parser][bad-input]") {
  std::string deep_type = "typedef ";
  for (int i = 0; i < 10000; ++i) deep_type += "list<";
  deep_type += "i32";
  for (int i = 0; i < 10000; ++i) deep_type += ">";
  deep_type += " T";
  CHECK(error_of(deep_type).find("nesting deeper than") != std::string::npos);

  std::string deep_const = "const list<i32> C = " + std::string(10000, '[') + std::string(10000, ']');
  CHECK(error_of(deep_const).find("nesting deeper than") != std::string::npos);
}

TEST_CASE("a 10 MB IDL file is parsed", "[idl][parser][bad-input]") {
  std::string big;
  big.reserve(10u << 20);
  for (int i = 0; big.size() < (10u << 20); ++i)
    big += "const i32 C" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  Schema s = load_text(big);
  CHECK(root(s).consts.size() > 300000);
}

TEST_CASE("bytes that are not UTF-8 in strings and doc comments become U+FFFD, so the schema prints as JSON",
          "[idl][parser][bad-input]") {
  // Found by tests/fuzz/idl_fuzz.cpp: `schema` ended in exit 70,
  // "internal error: [json.exception.type_error.316] invalid UTF-8 byte".
  idl::Schema schema = test::load_text("/** caf\xe9 \xff */\nstruct S { 1: string s = \"a\xbf\" (note = \"\xc3\") }\n");
  const idl::StructDef* s = schema.find_type("S")->true_type()->struct_def;
  CHECK(s->doc.find("caf\xEF\xBF\xBD \xEF\xBF\xBD") != std::string::npos);
  CHECK(s->fields[0].default_value->text == "a\xEF\xBF\xBD");
  CHECK(s->fields[0].annotations[0].second == "\xEF\xBF\xBD");
  // Valid UTF-8 is kept as it is.
  idl::Schema kept = test::load_text("const string C = \"\xc3\xa9\xe2\x82\xac\"\n");
  CHECK(kept.roots()[0]->consts[0]->value.text == "\xc3\xa9\xe2\x82\xac");
}

TEST_CASE("a doc comment and a string of 4 MB that are not UTF-8 load in linear time", "[idl][parser][bad-input]") {
  // Each bad byte was replaced in place, shifting the rest of the text: a
  // few megabytes of them took hours.
  std::string bad(4u << 20, '\xff');
  auto started = std::chrono::steady_clock::now();
  idl::Schema schema = test::load_text("/** " + bad + " */\nstruct S { 1: string s = \"" + bad + "\" }\n");
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  CHECK(took.count() < 5 * test::kTimeScale);
  const idl::StructDef* s = schema.find_type("S")->true_type()->struct_def;
  CHECK(s->fields[0].default_value->text.size() == 3 * bad.size());
  CHECK(s->doc.size() > 3 * bad.size());
}
