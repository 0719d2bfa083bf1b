// IDL fuzzer: any text as one .thrift file, through the lexer, the parser and
// the resolver, as `--idl` reads it. It gives a schema or an Error of kind
// Idl; never a crash, a hang or a leak. Includes are not followed (a fuzzer
// must not read files): a program that has them is parsed only.
// tests/fuzz/idl.dict gives the mutations the grammar's words.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "core/idl_views/describe.h"
#include "core/idl_views/schema_json.h"
#include "base/error.h"
#include "idl/lexer.h"
#include "idl/parser.h"
#include "idl/resolver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace thrift_call;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  idl::Schema schema;
  const std::string* file = schema.intern_path("fuzz.thrift");
  try {
    // The lexer alone first: every token, to the end (the parser stops at its first error).
    idl::Lexer lexer(text, file);
    for (idl::Token token = lexer.next(); token.kind != idl::TokenKind::End; token = lexer.next()) {
    }
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Idl) std::abort();
  }
  try {
    auto program = std::make_unique<idl::Program>();
    program->name = "fuzz";
    program->path = *file;
    idl::parse_program(text, file, *program, schema);
    if (!program->includes.empty()) return 0;
    schema.add_root(&schema.add_program(std::move(program)));
    idl::resolve_schema(schema);
    // What the verbs then ask of a schema (`schema`, `list`, `describe`;
    // not `template`, whose expansion of type graphs has its own limits).
    const idl::Program& root = *schema.roots().front();
    (void)to_thrift_json(root).dump();
    (void)to_schema_json(root).dump();
    (void)list_methods(schema);
    (void)list_types(schema);
    for (const std::string& name : schema.method_names()) {
      if (const idl::Function* fn = schema.find_function(name)) (void)function_signature(*fn);
      (void)describe(schema, name);
    }
    for (const std::string& name : schema.type_names()) {
      (void)schema.find_type(name);
      (void)describe(schema, name);
    }
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Idl && e.kind() != ErrorKind::Usage) std::abort();
  }
  return 0;
}
