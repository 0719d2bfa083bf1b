// The names shell completion offers from an IDL (`thrift-call __complete`):
// methods, types, services and describe targets.
#pragma once

#include <string>
#include <vector>

#include "idl/schema.h"

namespace thrift_call {

enum class IdlNames {
  Methods,          // "Service.method", inherited methods included
  Types,            // structs, unions, exceptions, enums and typedefs
  Services,         // "Service"
  DescribeTargets,  // all of the above
};

// Names declared in the schema's root files unqualified, those of included
// files as "program.Name" (how the other verbs accept them). Sorted, unique.
std::vector<std::string> idl_names(const idl::Schema& schema, IdlNames what);

}  // namespace thrift_call
