// From a request's bytes to the reply `serve` sends: read the call with the
// codec, find the function (multiplexed "Service:method", or a bare method
// name when only one served service has it), pick the answer (the first
// matching rule of the responses, else --echo, else the zero value), encode
// it, and describe the exchange as a recording line.
//
// Const and free of shared mutable state: the socket loop and the HTTP
// threads call it at once.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/codec/message.h"
#include "core/serve/responses.h"
#include "idl/schema.h"

namespace thrift_call::serve {

struct DispatchOptions {
  bool echo = false;    // answer with the argument of the return type when no rule matches
  bool record = false;  // fill Exchange::record
  codec::DecodeOptions decode;
};

// Where a request came from, for the recording.
struct RequestContext {
  std::string_view peer;       // "127.0.0.1:50312", "unix", ...
  std::string_view framing;    // "buffered", "framed", "header", "http", "http+header", as decode names them
};

struct Exchange {
  size_t consumed = 0;      // bytes of the request message
  std::string reply;        // the reply message (unframed); empty for a oneway call
  std::chrono::milliseconds delay{0};
  bool close = false;       // the arguments could not be read: reply, then close the connection
  std::string record;       // one NDJSON line without its newline, when recording
};

class Dispatcher {
 public:
  // Serves `services` (their inherited functions included) of `schema`,
  // which must outlive the dispatcher.
  Dispatcher(std::vector<const idl::Service*> services, Responses responses, DispatchOptions options);

  // Reads one message at the start of `bytes` and answers it. Throws
  // protocol::InputEnded when the bytes stop before the message does (a
  // stream reads on), and Error (Protocol) when even the envelope cannot be
  // read, as Apache's servers then close the connection.
  Exchange handle(codec::ProtocolKind kind, std::string_view bytes, const RequestContext& context) const;

  const std::vector<const idl::Service*>& services() const { return services_; }

 private:
  struct Route {
    const idl::Function* fn = nullptr;
    std::string service;                 // the service that answers
    codec::ApplicationException problem; // when fn is nullptr
  };
  Route route(std::string_view name) const;
  const Answer& pick(const idl::Function& fn, const std::string& args_json, Json& args, bool& args_parsed) const;

  std::vector<const idl::Service*> services_;
  Responses responses_;
  DispatchOptions options_;
  std::unordered_map<std::string, std::vector<std::pair<const idl::Service*, const idl::Function*>>> by_method_;
  std::unordered_map<const idl::Function*, Answer> defaults_;  // the zero value of each function
};

}  // namespace thrift_call::serve
