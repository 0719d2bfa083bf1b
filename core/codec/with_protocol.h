// The one switch on ProtocolKind: runs `f` with the protocol's reader and
// writer types, so each codec entry point is one template and one call.
//
//   return with_protocol(kind, [&](auto p) {
//     typename decltype(p)::Reader reader(bytes, limits);
//     ...
//   });
#pragma once

#include "core/codec/protocol_kind.h"
#include "core/protocol/binary.h"
#include "core/protocol/compact.h"
#include "core/protocol/json.h"

namespace thrift_call::codec {

template <class R, class W>
struct ProtocolTypes {
  using Reader = R;
  using Writer = W;
};

template <class F>
decltype(auto) with_protocol(ProtocolKind kind, F&& f) {
  switch (kind) {
    case ProtocolKind::Compact: return f(ProtocolTypes<protocol::CompactReader, protocol::CompactWriter>{});
    case ProtocolKind::Json: return f(ProtocolTypes<protocol::JsonReader, protocol::JsonWriter>{});
    case ProtocolKind::Binary: break;
  }
  return f(ProtocolTypes<protocol::BinaryReader, protocol::BinaryWriter>{});
}

}  // namespace thrift_call::codec
