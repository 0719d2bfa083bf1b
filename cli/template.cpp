// thrift-call template Service.method: a JSON skeleton of the arguments.
#include <memory>

#include "cli/options.h"
#include "core/idl_views/describe.h"
#include "core/idl_views/json_template.h"
#include "base/error.h"

namespace thrift_call::cli {

void add_template_command(CLI::App& app, GlobalOptions& global) {
  auto* command = app.add_subcommand("template", "Print a JSON skeleton of a method's arguments (or of a type)");
  auto name = std::make_shared<std::string>();
  command->add_option("NAME", *name, "Service.method, or a struct name")->required();
  command->footer(
      "Examples:\n"
      "  thrift-call template PersonService.savePerson --idl examples/person.thrift\n"
      "  thrift-call template Person --idl examples/person.thrift");
  add_idl_options(*command, global);
  command->callback([&global, name] {
    size_t dot = name->rfind('.');
    idl::Schema schema = load_schema_for(global, service_part(*name));
    if (dot != std::string::npos) {
      if (const idl::Function* fn = schema.find_function(*name)) {
        print(make_template(fn->args).dump(2));
        return;
      }
    }
    if (const idl::Type* type = schema.find_type(*name)) {
      print(make_template(*type).dump(2));
      return;
    }
    throw Error(ErrorKind::Usage, "no method or type named \"" + *name + "\" in the IDL" + suggest_names(schema, *name),
                "try `thrift-call list`");
  });
}

}  // namespace thrift_call::cli
