#include "core/serve/dispatcher.h"

#include <ctime>

#include "base/error.h"
#include "core/call/probe.h"
#include "core/codec/json_line.h"
#include "core/codec/json_parse.h"
#include "core/idl_views/value_maker.h"
#include "core/protocol/ttype.h"

namespace thrift_call::serve {

using codec::ProtocolKind;
using protocol::MessageType;

namespace {

constexpr int32_t kUnknownMethod = 1;
constexpr int32_t kProtocolError = 7;

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::string_view bare_method(std::string_view name) {
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

Json error_json(const codec::ApplicationException& e) {
  return Json::object({{"error", Json::object({{"type", e.type},
                                                {"name", codec::application_exception_type_name(e.type)},
                                                {"message", e.message}})}});
}

}  // namespace

Dispatcher::Dispatcher(std::vector<const idl::Service*> services, Responses responses, DispatchOptions options)
    : services_(std::move(services)), responses_(std::move(responses)), options_(options) {
  for (const idl::Service* service : services_) {
    for (const idl::Function* fn : service->all_functions()) {
      by_method_[fn->name].emplace_back(service, fn);
      // An inherited function is met once for each service that extends its own.
      if (defaults_.count(fn)) continue;
      Answer zero;
      zero.kind = Answer::Kind::Return;
      zero.result = fn->return_type->kind == idl::TypeKind::Void
                        ? Json::object()
                        : Json::object({{"success", make_value(*fn->return_type, ValueShape::Zero)}});
      defaults_.emplace(fn, std::move(zero));
    }
  }
}

Dispatcher::Route Dispatcher::route(std::string_view name) const {
  Route r;
  size_t colon = name.find(':');
  if (colon != std::string_view::npos) {
    std::string_view service_name = name.substr(0, colon);
    for (const idl::Service* service : services_) {
      if (service->name == service_name || service->qualified_name() == service_name) {
        r.service = service->name;
        r.fn = service->find_function(name.substr(colon + 1));
        if (!r.fn) r.problem = {kUnknownMethod, "Invalid method name: '" + std::string(name.substr(colon + 1)) + "'"};
        return r;
      }
    }
    r.problem = {kUnknownMethod, "Unknown service: " + std::string(service_name)};
    return r;
  }
  auto found = by_method_.find(std::string(name));
  if (found == by_method_.end()) {
    r.problem = {kUnknownMethod, "Invalid method name: '" + std::string(name) + "'"};
  } else if (found->second.size() > 1) {
    std::string which;
    for (const auto& [service, fn] : found->second) which += (which.empty() ? "" : ", ") + service->name;
    r.problem = {kUnknownMethod, "method '" + std::string(name) + "' is in several services (" + which +
                                     "): call it multiplexed, as Service:" + std::string(name)};
  } else {
    r.service = found->second.front().first->name;
    r.fn = found->second.front().second;
  }
  return r;
}

const Answer& Dispatcher::pick(const idl::Function& fn, const std::string& args_json, Json& args,
                               bool& args_parsed) const {
  auto parsed = [&]() -> const Json& {
    if (!args_parsed) {
      args = codec::parse_json(args_json);
      args_parsed = true;
    }
    return args;
  };
  if (const std::vector<Rule>* rules = responses_.rules(fn)) {
    for (const Rule& rule : *rules)
      if (!rule.when || json_matches(*rule.when, parsed())) return rule.answer;
  }
  return defaults_.at(&fn);
}

Exchange Dispatcher::handle(ProtocolKind kind, std::string_view bytes, const RequestContext& context) const {
  Route r;
  bool routed = false;
  protocol::MessageHeader header;
  codec::Call call;
  Exchange ex;
  try {
    call = codec::decode_call(
        kind, bytes,
        [&](const protocol::MessageHeader& h) {
          routed = true;
          header = h;
          r = route(h.name);
          return r.fn;
        },
        options_.decode);
  } catch (const protocol::InputEnded&) {
    throw;
  } catch (const Error& e) {
    if (!routed) throw;
    // The envelope was read: say what was wrong, as Apache's processors do
    // with a TProtocolException, and close (the stream's position is lost).
    ex.close = true;
    ex.consumed = bytes.size();
    codec::ApplicationException problem{kProtocolError, e.diagnostic()};
    if (header.type != MessageType::Oneway)
      ex.reply = codec::encode_application_exception(kind, bare_method(header.name), header.seqid, problem);
    if (options_.record) {
      Json line = Json::object({{"time", utc_now()},
                                {"peer", context.peer},
                                {"framing", context.framing},
                                {"protocol", codec::to_string(kind)},
                                {"type", protocol::to_string(header.type)},
                                {"method", r.fn ? r.service + "." + r.fn->name : header.name},
                                {"seqid", header.seqid},
                                {"args", nullptr},
                                {"reply", error_json(problem)}});
      ex.record = codec::to_json_line(line);
    }
    return ex;
  }
  ex.consumed = call.consumed;
  const bool oneway = call.header.type == MessageType::Oneway;
  std::string_view reply_name = bare_method(call.header.name);

  Json reply_record;
  if (!r.fn) {
    if (!oneway) ex.reply = codec::encode_application_exception(kind, reply_name, call.header.seqid, r.problem);
    reply_record = error_json(r.problem);
  } else {
    Json args;
    bool args_parsed = false;
    const Answer* answer = &pick(*r.fn, call.args_json, args, args_parsed);
    ex.delay = answer->delay;
    Json echoed;
    const Json* result = &answer->result;
    if (answer->kind == Answer::Kind::Default || (options_.echo && answer == &defaults_.at(r.fn))) {
      const Answer& zero = defaults_.at(r.fn);
      result = &zero.result;
      if (options_.echo && r.fn->return_type->kind != idl::TypeKind::Void) {
        for (const idl::Field* arg : r.fn->args.fields_in_id_order()) {
          if (!idl::same_type(*arg->type, *r.fn->return_type)) continue;
          if (!args_parsed) {
            args = codec::parse_json(call.args_json);
            args_parsed = true;
          }
          auto value = args.find(arg->name);
          if (value != args.end()) {
            echoed = Json::object({{"success", *value}});
            result = &echoed;
          }
          break;
        }
      }
    }
    if (answer->kind == Answer::Kind::Error) {
      if (!oneway) ex.reply = codec::encode_application_exception(kind, reply_name, call.header.seqid, answer->error);
      if (options_.record) reply_record = error_json(answer->error);
    } else {
      if (!oneway) ex.reply = codec::encode_reply(kind, *r.fn, reply_name, call.header.seqid, *result);
      if (options_.record) {
        if (answer->kind == Answer::Kind::Throw) {
          reply_record = Json::object({{"throw", Json::object({{answer->exception_type, result->begin().value()}})}});
        } else {
          auto success = result->find("success");
          reply_record = Json::object({{"return", success == result->end() ? Json() : *success}});
        }
      }
    }
  }
  // thrift-call's own probe (core/call/probe.h) is no call: answered, not recorded.
  if (options_.record && reply_name != call::kProbeMethod) {
    Json line = Json::object({{"time", utc_now()},
                              {"peer", context.peer},
                              {"framing", context.framing},
                              {"protocol", codec::to_string(kind)},
                              {"type", protocol::to_string(call.header.type)},
                              {"method", r.fn ? r.service + "." + r.fn->name : call.header.name},
                              {"seqid", call.header.seqid}});
    ex.record = codec::to_json_line(line);
    ex.record.pop_back();  // the arguments are JSON text already: spliced in, not parsed again
    ex.record += ",\"args\":" + (call.args_json.empty() ? std::string("{}") : call.args_json) +
                 ",\"reply\":" + (oneway ? std::string("null") : codec::to_json_line(reply_record)) + "}";
  }
  return ex;
}

}  // namespace thrift_call::serve
