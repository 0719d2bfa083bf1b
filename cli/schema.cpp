// thrift-call schema FILE: the resolved program as JSON.
#include <memory>

#include "cli/options.h"
#include "core/idl_views/schema_json.h"
#include "base/error.h"

namespace thrift_call::cli {

namespace {
struct SchemaOptions {
  std::string file;
  std::string format = "json";
};
}  // namespace

void add_schema_command(CLI::App& app, GlobalOptions& global) {
  auto* command = app.add_subcommand("schema", "Print a resolved IDL file as JSON");
  auto options = std::make_shared<SchemaOptions>();
  command->add_option("FILE", options->file, "the .thrift file")->required();
  command->add_option("--format", options->format,
                      "thrift-json: what `thrift --gen json` writes; json: thrift-call's richer form")
      ->check(CLI::IsMember({"json", "thrift-json"}))
      ->capture_default_str();
  command->add_option("-I,--include-dir", global.idl.include_dirs, "folder searched for includes (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false);
  command->footer(
      "Examples:\n"
      "  thrift-call schema examples/person.thrift\n"
      "  thrift-call schema --format thrift-json examples/person.thrift");
  command->callback([&global, options] {
    GlobalOptions one = global;
    one.idl.files = {options->file};
    idl::Schema schema = load_schema_for(one);
    const idl::Program& program = *schema.roots().front();
    auto doc = options->format == "thrift-json" ? to_thrift_json(program) : to_schema_json(program);
    print(doc.dump(2));
  });
}

}  // namespace thrift_call::cli
