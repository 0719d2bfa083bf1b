#include "core/call/method_caller.h"

#include <utility>

#include "core/codec/raw_type.h"
#include "core/user_input/json_input.h"
#include "idl/closest_names.h"
#include "base/error.h"

namespace thrift_call {

namespace {

size_t method_dot(const std::string& target) {
  size_t dot = target.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == target.size())
    throw Error(ErrorKind::Usage, "the method is Service.method, got \"" + target + "\"");
  return dot;
}

}  // namespace

std::string service_of(const std::string& target) { return target.substr(0, method_dot(target)); }

MethodCaller::MethodCaller(CallOptions options, std::optional<idl::Schema> schema, const std::string& idl_origin,
                           const std::string& target, PrintStyle style, std::string endpoint)
    : schema_(std::move(schema)), idl_origin_(idl_origin), style_(style), endpoint_(std::move(endpoint)) {
  // A bare method name is the commonest slip: say which Service.method it is.
  if (schema_ && target.find('.') == std::string::npos)
    throw Error(ErrorKind::Usage, "the method is Service.method, got \"" + target + "\"" +
                                      idl::did_you_mean(schema_->services_with_method(target)));
  method_ = target.substr(method_dot(target) + 1);
  if (schema_) {
    std::string service_name = service_of(target);
    const idl::Service* service = schema_->find_service(service_name);
    if (!service)
      throw Error(ErrorKind::Usage,
                  "no service \"" + service_name + "\" in the IDL" +
                      idl::did_you_mean(schema_->service_names(), service_name),
                  idl_origin);
    fn_ = service->find_function(method_);
    if (!fn_)
      throw Error(ErrorKind::Usage, "service " + service_name + " has no method \"" + method_ + "\"" +
                                        idl::did_you_mean_or_list(service->function_names(), method_, "methods"));
  }
  session_ = std::make_unique<CallSession>(std::move(options));
}

void MethodCaller::prepare(const std::string& args_text, const std::string& origin, int first_line, Prepared& into) {
  into.encoded.bytes.clear();
  into.error.reset();
  try {
    parse_json_argument_into(args_text, origin, first_line, into.args);
  } catch (const Error& e) {
    into.error = e;
    return;
  }
  prepare_parsed(into);
}

void MethodCaller::prepare_parsed(Prepared& into) {
  into.encoded.bytes.clear();
  into.error.reset();
  try {
    if (fn_) session_->encode_ahead(*fn_, into.args, into.encoded);
    if (!fn_ && into.args.is_object()) {
      // Raw notation was not what the user meant: they gave names, and
      // names need an IDL, which was not found.
      for (const auto& [key, value] : into.args.items()) {
        if (!codec::parse_raw_key(key))
          throw Error(ErrorKind::Idl,
                      "no IDL files found, and \"" + key +
                          "\" is a field name; give --idl FILE or set THRIFT_CALL_IDL (or write raw \"id:type\" keys, "
                          "e.g. \"1:string\")",
                      idl_origin_);
      }
    }
  } catch (const Error& e) {
    into.error = e;
  }
}

PrintedOutcome MethodCaller::call(const std::string& args_text, const std::string& origin, int first_line) {
  Prepared prepared;
  prepare(args_text, origin, first_line, prepared);
  CallSession::UndecodedReply reply;
  call_undecoded(prepared, reply);
  return decode(reply);
}

void MethodCaller::call_undecoded(Prepared& prepared, CallSession::UndecodedReply& into) {
  if (prepared.error) throw *prepared.error;
  session_->call_undecoded(fn_, method_, prepared.args, &prepared.encoded, into);
}

PrintedOutcome MethodCaller::decode(const CallSession::UndecodedReply& reply, std::string spare) const {
  return print(session_->decode(reply, std::move(spare)));
}

bool MethodCaller::can_pipeline() const { return fn_ && session_->can_pipeline(); }

CallSession::Pending MethodCaller::send(Prepared& prepared) {
  if (prepared.error) throw *prepared.error;
  return session_->send(*fn_, prepared.args, &prepared.encoded);
}

PrintedOutcome MethodCaller::receive(const CallSession::Pending& pending) { return print(session_->receive(pending)); }

PrintedOutcome MethodCaller::print(CallOutcome outcome) const {
  return print_outcome(std::move(outcome), style_, endpoint_);
}

}  // namespace thrift_call
