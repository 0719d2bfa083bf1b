// thrift-call list [SERVICE] [--types]: the methods, one "Service.method" a
// line, or the types with their kind.
#include <memory>

#include "cli/options.h"
#include "core/idl_views/describe.h"
#include "base/error.h"

namespace thrift_call::cli {

namespace {
struct ListOptions {
  std::string service;  // empty: every service
  bool types = false;
};
}  // namespace

void add_list_command(CLI::App& app, GlobalOptions& global) {
  auto* command = app.add_subcommand("list", "List services and their methods, or the types");
  auto options = std::make_shared<ListOptions>();
  auto* service = command->add_option("SERVICE", options->service, "only this service's methods")
                      ->type_name(value_name::kService);
  command->add_flag("--types", options->types, "the structs, unions, exceptions, enums and typedefs, with their kind")
      ->excludes(service);
  command->footer(
      "Examples:\n"
      "  thrift-call list --idl examples/person.thrift\n"
      "  thrift-call list PersonService --idl examples/person.thrift\n"
      "  thrift-call list --types --idl examples/person.thrift\n"
      "  THRIFT_CALL_IDL=examples thrift-call list\n"
      "Inherited methods are followed by \"(from Base)\".");
  add_idl_options(*command, global);
  command->callback([&global, options] {
    idl::Schema schema = options->service.empty() ? load_schema_for(global) : load_schema_for(global, options->service);
    std::string out = options->types ? list_types(schema) : list_methods(schema, options->service);
    if (!out.empty()) print(out);
  });
}

}  // namespace thrift_call::cli
