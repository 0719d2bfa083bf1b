// thrift-call list: every service and its methods, one "Service.method" a line.
#include <memory>

#include "cli/options.h"

namespace thrift_call::cli {

void add_list_command(CLI::App& app, GlobalOptions& global) {
  auto* command = app.add_subcommand("list", "List services and their methods");
  command->footer(
      "Examples:\n"
      "  thrift-call list --idl examples/person.thrift\n"
      "  THRIFT_CALL_IDL=examples thrift-call list\n"
      "Inherited methods are followed by \"(from Base)\".");
  add_idl_options(*command, global);
  command->callback([&global] {
    idl::Schema schema = load_schema_for(global);
    std::string out;
    for (const auto& program : schema.programs()) {
      for (const auto& service : program->services) {
        std::string prefix = service->name;
        for (const auto& other : schema.programs())
          if (other.get() != program.get() && other->find_service(service->name)) prefix = service->qualified_name();
        for (const idl::Function* fn : service->all_functions()) {
          out += prefix + "." + fn->name;
          if (fn->service != service.get()) out += "  (from " + fn->service->qualified_name() + ")";
          out += "\n";
        }
        if (service->all_functions().empty()) out += prefix + "\n";
      }
    }
    if (!out.empty()) print(out);
  });
}

}  // namespace thrift_call::cli
