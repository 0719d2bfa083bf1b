#include "core/idl_views/completion.h"

#include <algorithm>

namespace thrift_call {

std::vector<std::string> idl_names(const idl::Schema& schema, IdlNames what) {
  const bool methods = what == IdlNames::Methods || what == IdlNames::DescribeTargets;
  const bool services = what == IdlNames::Services || what == IdlNames::DescribeTargets;
  const bool types = what == IdlNames::Types || what == IdlNames::DescribeTargets;
  std::vector<std::string> names;
  for (const auto& program : schema.programs()) {
    const bool root = std::find(schema.roots().begin(), schema.roots().end(), program.get()) != schema.roots().end();
    const std::string prefix = root ? "" : program->name + ".";
    if (types) {
      for (const auto& s : program->structs) names.push_back(prefix + s->name);
      for (const auto& e : program->enums) names.push_back(prefix + e->name);
      for (const auto& t : program->typedefs) names.push_back(prefix + t->name);
    }
    for (const auto& service : program->services) {
      if (services) names.push_back(prefix + service->name);
      if (methods)
        for (const idl::Function* fn : service->all_functions()) names.push_back(prefix + service->name + "." + fn->name);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace thrift_call
