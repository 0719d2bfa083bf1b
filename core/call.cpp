#include "core/call.h"

#include "idl/error.h"

namespace thrift_call {

CallSession::CallSession(CallOptions options) : options_(std::move(options)) {}
CallSession::~CallSession() = default;

CallOutcome CallSession::call(const idl::Function& fn, const codec::Json& args) {
  int32_t seqid = ++seqid_;
  std::string message = codec::encode_call(options_.protocol, fn, args, seqid, options_.multiplex);
  return exchange(message, fn.name, fn.oneway, &fn);
}

CallOutcome CallSession::call_raw(std::string_view method, bool oneway, const codec::Json& args) {
  int32_t seqid = ++seqid_;
  std::string name = options_.multiplex.empty() ? std::string(method) : options_.multiplex + ":" + std::string(method);
  std::string message = codec::encode_raw_call(options_.protocol, name, oneway, args, seqid);
  return exchange(message, method, oneway, nullptr);
}

CallOutcome CallSession::exchange(const std::string& message, std::string_view method, bool oneway,
                                  const idl::Function* fn) {
  try {
    if (!connection_) connection_ = transport::connect(options_.endpoint, options_.connect);
    connection_->send(message);
    CallOutcome outcome;
    if (oneway) {
      outcome.oneway = true;
      outcome.json = "null";
      return outcome;
    }
    codec::Reply reply;
    connection_->receive([&](std::string_view bytes) {
      reply = codec::decode_reply(options_.protocol, bytes, fn);
      return reply.consumed;
    });
    codec::check_reply_header(reply.header, method, seqid_);
    outcome.kind = reply.kind;
    outcome.json = std::move(reply.json);
    outcome.application_exception = std::move(reply.application_exception);
    return outcome;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::Transport || e.kind() == ErrorKind::Protocol) connection_.reset();
    throw;
  }
}

}  // namespace thrift_call
