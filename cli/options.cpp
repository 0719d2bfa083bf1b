#include "cli/options.h"

#include <cstdio>
#include <iostream>

#include "idl/error.h"

namespace thrift_call::cli {

void add_idl_options(CLI::App& command, GlobalOptions& global) {
  command.add_option("--idl", global.idl.files, "IDL file to read (repeatable); default: $THRIFT_CALL_IDL, else ./*.thrift")
      ->type_name("FILE")
      ->allow_extra_args(false);
  command.add_option("-I,--include-dir", global.idl.include_dirs, "folder searched for includes (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false);
}

idl::Schema load_schema_for(const GlobalOptions& global, std::optional<std::string_view> service) {
  idl::Schema schema = load_idl(global.idl, service);
  if (!global.quiet) {
    for (const auto& w : schema.warnings()) std::cerr << "thrift-call: " << w.to_string() << "\n";
  }
  return schema;
}

const idl::Type* find_type_or_raw(const GlobalOptions& global, const std::string& name, idl::Schema& holder) {
  if (name == "raw") return nullptr;
  holder = load_schema_for(global);
  const idl::Type* type = holder.find_type(name);
  if (!type) throw Error(ErrorKind::Usage, "no type named \"" + name + "\" in the IDL", "try `thrift-call list`");
  return type;
}

std::string_view service_part(std::string_view name) {
  size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(0, dot);
}

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (text.empty() || text.back() != '\n') std::fputc('\n', stdout);
}

}  // namespace thrift_call::cli
