// The call path every verb shares (call, batch, REPL, bench): encode the
// arguments, send them over one connection, read and check the reply.
//
// Typical use:
//   CallSession session(options);
//   CallOutcome out = session.call(*fn, args);   // as often as needed
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/codec/message.h"
#include "core/transport/connection.h"
#include "core/transport/endpoint.h"
#include "idl/schema.h"

namespace thrift_call {

struct CallOptions {
  transport::Endpoint endpoint;
  codec::ProtocolKind protocol = codec::ProtocolKind::Binary;
  transport::ConnectOptions connect;
  // Non-empty: calls are named "Service:method" (TMultiplexedProtocol).
  std::string multiplex;
};

struct CallOutcome {
  codec::ReplyKind kind = codec::ReplyKind::Success;
  std::string json;  // the value (null for void and oneway) or {"Type": {...}}
  codec::ApplicationException application_exception;
  bool oneway = false;
};

class CallSession {
 public:
  explicit CallSession(CallOptions options);
  ~CallSession();

  // Encodes first (an input error sends nothing), connects if needed, sends,
  // and for anything but oneway reads the reply and checks its name and
  // seqid. Throws Error: Input, Transport or Protocol. After a transport or
  // protocol error the connection is dropped; the next call reconnects.
  CallOutcome call(const idl::Function& fn, const codec::Json& args);
  // The same without an IDL: `args` and the reply in raw notation.
  CallOutcome call_raw(std::string_view method, bool oneway, const codec::Json& args);

  const CallOptions& options() const { return options_; }

 private:
  CallOutcome exchange(const std::string& message, std::string_view method, bool oneway, const idl::Function* fn);

  CallOptions options_;
  std::unique_ptr<transport::Connection> connection_;
  int32_t seqid_ = 0;
};

}  // namespace thrift_call
