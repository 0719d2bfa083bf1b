#include "core/call/outcome.h"

#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/codec/json_line.h"

namespace thrift_call {

int exit_code(const CallOutcome& outcome) {
  switch (outcome.kind) {
    case codec::ReplyKind::Success:
      return 0;
    case codec::ReplyKind::DeclaredException:
      return 1;
    case codec::ReplyKind::ApplicationException:
      return exit_code(ErrorKind::Protocol);
  }
  return kInternalErrorExit;
}

PrintedOutcome print_outcome(CallOutcome out, const PrintStyle& style, const std::string& endpoint) {
  if (out.kind == codec::ReplyKind::ApplicationException) {
    const std::string& message = out.application_exception.message;
    // Apache's multiplexed processors, given a name without a service (C++; Java, Go).
    bool wants_multiplex = message.find("Non-multiplexed client request dropped") != std::string::npos ||
                           message.find("Service name not found in message name") != std::string::npos;
    throw Error(ErrorKind::Protocol,
                std::string("TApplicationException ") +
                    codec::application_exception_type_name(out.application_exception.type) + ": " + message +
                    (wants_multiplex ? "; the server is multiplexed: use --multiplex" : ""),
                endpoint);
  }
  int code = exit_code(out);
  if (style.envelope) {
    // Wrapped as text, in place: the value stays as the decoder wrote it.
    const char* key = out.kind == codec::ReplyKind::Success ? "return" : "throw";
    out.json.insert(0, "{\"").insert(2, key).insert(2 + std::strlen(key), "\":");
    out.json.push_back('}');
  }
  std::string text = style.pretty ? nlohmann::ordered_json::parse(out.json).dump(2) : std::move(out.json);
  return {std::move(text), code, std::move(out.undeclared)};
}

PrintedOutcome print_failure(const Error& error) { return {error_envelope(error), exit_code(error.kind()), {}}; }

std::string error_envelope(const Error& error) {
  // The message may quote a peer's bytes: to_json_line keeps the line valid JSON.
  codec::Json envelope = {{"error", {{"kind", to_string(error.kind())}, {"message", error.diagnostic()}}}};
  return codec::to_json_line(envelope);
}

}  // namespace thrift_call
