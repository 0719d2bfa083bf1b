// One method called again and again with JSON argument text over one
// connection, each outcome printed as `call` prints it: the call verb's one
// call and its batch (core/call/batch.h).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/error.h"
#include "core/call/outcome.h"
#include "core/call/session.h"
#include "idl/schema.h"

namespace thrift_call {

class MethodCaller {
 public:
  // `target` is "Service.method". Without a schema the call goes out in raw
  // notation. Throws Error (Usage) for a malformed target, or a service
  // (located at `idl_origin`, what was searched) or method the schema lacks,
  // naming the methods it has. `style`: how results print; `endpoint` names
  // the server in errors.
  MethodCaller(CallOptions options, std::optional<idl::Schema> schema, const std::string& idl_origin,
               const std::string& target, PrintStyle style, std::string endpoint);
  // The function it calls points into its schema.
  MethodCaller(const MethodCaller&) = delete;
  MethodCaller& operator=(const MethodCaller&) = delete;

  // One call's arguments made ready before its turn: parsed and, with an
  // IDL, encoded; or the error that stops the call (nothing is sent then).
  struct Prepared {
    codec::Json args;  // reused: a later line parses into this tree (parse_json_argument_into)
    CallSession::EncodedCall encoded;  // with an IDL; its buffer reused too
    std::optional<Error> error;
  };
  // `origin` and `first_line` place the JSON in errors (parse_json_argument).
  void prepare(const std::string& args_text, const std::string& origin, int first_line, Prepared& into);
  // The same for arguments already parsed into `into.args`: encodes them.
  void prepare_parsed(Prepared& into);

  // prepare() and the call at once. Throws the prepared error, or what the call meets.
  PrintedOutcome call(const std::string& args_text, const std::string& origin, int first_line = 1);

  // The call in two halves (CallSession::call_undecoded): a batch prints a
  // reply while its next call is out (its observer's while_waiting()).
  // call_undecoded() throws the prepared error, or what sending and reading
  // meet; decode() what decoding and printing meet: Error (Protocol) for a
  // body that does not decode and for a TApplicationException. The text is
  // written into `spare`'s buffer (a batch hands back the last line's).
  void call_undecoded(Prepared& prepared, CallSession::UndecodedReply& into);
  PrintedOutcome decode(const CallSession::UndecodedReply& reply, std::string spare = {}) const;

  // For pipelining: whether the next call may go out before earlier replies are in.
  bool can_pipeline() const;
  CallSession::Pending send(Prepared& prepared);
  PrintedOutcome receive(const CallSession::Pending& pending);

  // The session the calls go through: to watch them (set_observer), or to
  // read the protocol and framing in use.
  CallSession& session() { return *session_; }

 private:
  PrintedOutcome print(CallOutcome outcome) const;

  std::optional<idl::Schema> schema_;
  std::string idl_origin_;  // where the IDL was looked for
  const idl::Function* fn_ = nullptr;
  std::string method_;
  PrintStyle style_;
  std::string endpoint_;
  std::unique_ptr<CallSession> session_;
};

// "Service" of "Service.method"; throws Error (Usage) when `target` is not of that form.
std::string service_of(const std::string& target);

}  // namespace thrift_call
