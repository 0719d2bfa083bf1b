// thrift-call describe NAME: a service, method or type as IDL text.
#include <memory>

#include "cli/options.h"
#include "core/idl_views/describe.h"

namespace thrift_call::cli {

void add_describe_command(CLI::App& app, GlobalOptions& global) {
  auto* command = app.add_subcommand("describe", "Show a service, Service.method or type as IDL, with its doc");
  auto name = std::make_shared<std::string>();
  command->add_option("NAME", *name, "Service, Service.method, struct, enum or typedef")->required();
  command->footer(
      "Examples:\n"
      "  thrift-call describe PersonService --idl examples/person.thrift\n"
      "  thrift-call describe Person --idl examples/person.thrift");
  add_idl_options(*command, global);
  command->callback([&global, name] {
    idl::Schema schema = load_schema_for(global, service_part(*name));
    print(describe(schema, *name));
  });
}

}  // namespace thrift_call::cli
