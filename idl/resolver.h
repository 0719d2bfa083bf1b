// The resolution pass: links names to definitions, checks constant values
// against their types, fills in the synthetic argument and result structs of
// every function and builds the lookup indexes.
#pragma once

#include "idl/schema.h"

namespace thrift_call::idl {

// Programs must be in dependency order (includes first), as the loader adds
// them. Throws thrift_call::Error (ErrorKind::Idl) at the first problem.
void resolve_schema(Schema& schema);

}  // namespace thrift_call::idl
