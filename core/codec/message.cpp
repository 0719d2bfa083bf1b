#include "core/codec/message.h"

#include <type_traits>

#include "core/codec/decode.h"
#include "core/codec/wire_type.h"
#include "core/codec/with_protocol.h"
#include "core/protocol/skip.h"
#include "base/error.h"

namespace thrift_call::codec {

using protocol::MessageHeader;
using protocol::MessageType;
using protocol::TType;

const char* application_exception_type_name(int32_t type) {
  // The numbering of TApplicationException::TApplicationExceptionType.
  static const char* const names[] = {"UNKNOWN",
                                      "UNKNOWN_METHOD",
                                      "INVALID_MESSAGE_TYPE",
                                      "WRONG_METHOD_NAME",
                                      "BAD_SEQUENCE_ID",
                                      "MISSING_RESULT",
                                      "INTERNAL_ERROR",
                                      "PROTOCOL_ERROR",
                                      "INVALID_TRANSFORM",
                                      "INVALID_PROTOCOL",
                                      "UNSUPPORTED_CLIENT_TYPE"};
  if (type < 0 || type >= static_cast<int32_t>(std::size(names))) return "UNKNOWN";
  return names[type];
}

namespace {

// A message or a reply's JSON starts with room for this many bytes: most
// calls fit, and growing a string from its inline 15 bytes took two or
// three allocations each.
constexpr size_t kFirstBufferSize = 256;

// Into `out`, replacing what it held but keeping its capacity.
template <class Writer>
void encode_message(const MessageHeader& header, const idl::StructDef* args_schema, const Json& args,
                    std::string& out) {
  out.clear();
  out.reserve(kFirstBufferSize);
  Writer writer(out);
  writer.write_message_begin(header);
  encode_struct(writer, args_schema, args);
  writer.write_message_end();
}

void encode_message_as(ProtocolKind kind, const MessageHeader& header, const idl::StructDef* schema, const Json& args,
                       std::string& out) {
  with_protocol(kind, [&](auto p) { encode_message<typename decltype(p)::Writer>(header, schema, args, out); });
}

std::string encode_message_as(ProtocolKind kind, const MessageHeader& header, const idl::StructDef* schema,
                              const Json& args) {
  std::string out;
  encode_message_as(kind, header, schema, args, out);
  return out;
}

template <class Reader>
ApplicationException read_application_exception(Reader& r, int depth) {
  ApplicationException e;
  r.read_struct_begin();
  for (;;) {
    protocol::FieldHeader h = r.read_field_begin();
    if (h.type == TType::Stop) break;
    if (h.id == 1 && h.type == TType::String) {
      e.message = std::string(r.read_string());
    } else if (h.id == 2 && h.type == TType::I32) {
      e.type = r.read_i32();
    } else {
      protocol::skip(r, h.type, depth);
    }
    r.read_field_end();
  }
  r.read_struct_end();
  return e;
}

// The envelope, checked for the side that reads it: a client expects a
// reply or an exception, a server a call or a oneway.
template <class Reader>
MessageHeader read_envelope(Reader& r, bool want_reply) {
  size_t at = r.offset();
  MessageHeader header = r.read_message_begin();
  bool is_reply = header.type == MessageType::Reply || header.type == MessageType::Exception;
  if (is_reply != want_reply)
    protocol::throw_read_error(at, std::string("expected a ") + (want_reply ? "reply" : "call") + ", got a " +
                                       protocol::to_string(header.type) + " message for \"" + header.name + "\"");
  return header;
}

// A reply's body, after its envelope `reply.header`.
template <class Reader, class ReplyLike>
void read_reply_body(Reader& r, const idl::Function* fn, const DecodeOptions& options, ReplyLike& reply,
                     ReplyKind& reply_kind) {
  const int depth = options.limits.max_depth;
  if (reply.header.type == MessageType::Exception) {
    reply_kind = ReplyKind::ApplicationException;
    reply.application_exception = read_application_exception(r, depth);
    r.read_message_end();
    reply.consumed = r.offset();
    return;
  }
  // The result struct holds at most one set field: 0 for the return value,
  // or the id of the declared exception thrown.
  reply_kind = ReplyKind::Success;
  reply.json.reserve(kFirstBufferSize);
  JsonText out(reply.json, options.utf8, options.i64);
  const idl::StructDef* result = fn ? &fn->result : nullptr;
  r.read_struct_begin();
  bool found = false;
  for (;;) {
    protocol::FieldHeader h = r.read_field_begin();
    if (h.type == TType::Stop) break;
    const idl::Field* field = result ? result->field_by_id(h.id) : nullptr;
    if (found) {
      // A second value: not part of the answer (Apache's clients read the first).
      protocol::skip(r, h.type, depth);
    } else if ((result && (!field || wire_type(*field->type) != h.type)) ||
               (!result && h.id != 0 && h.type != TType::Struct)) {
      // A value the IDL does not describe (the server's IDL differs), or,
      // without an IDL, an exception that is no struct: shown raw,
      // {"id:type": value}, never dropped, and never keyed "id:struct".
      found = true;
      reply_kind = h.id == 0 ? ReplyKind::Success : ReplyKind::DeclaredException;
      if (result)
        reply.undeclared = "field " + std::to_string(h.id) + " (" + protocol::to_string(h.type) + ") of the reply is " +
                           (field ? "of another type than" : "not in") + " the IDL's " + result->name +
                           ": shown raw; the IDL may be out of date";
      out.begin_object();
      decode_raw_field(r, h, out, depth);
      out.end_object();
    } else {
      found = true;
      reply_kind = h.id == 0 ? ReplyKind::Success : ReplyKind::DeclaredException;
      if (reply_kind == ReplyKind::DeclaredException) {
        out.begin_object();
        out.key(field ? field->type->true_type()->struct_def->name : std::to_string(h.id) + ":struct");
      }
      decode_value(r, h.type, field ? field->type : nullptr, out, depth);
      if (reply_kind == ReplyKind::DeclaredException) out.end_object();
    }
    r.read_field_end();
  }
  r.read_struct_end();
  r.read_message_end();
  if (!found) {
    bool is_void = fn ? fn->return_type->kind == idl::TypeKind::Void : true;
    if (is_void) {
      out.null();
    } else {
      // What Apache's generated clients raise for an empty result.
      reply_kind = ReplyKind::ApplicationException;
      reply.application_exception = {5, reply.header.name + " failed: unknown result"};
    }
  }
  reply.consumed = r.offset();
}

template <class Reader>
void read_any_message(std::string_view bytes, const CallResolver& resolve, const DecodeOptions& options,
                      AnyMessage& message) {
  Reader r(bytes, options.limits);
  message.json.clear();
  message.application_exception = {};
  message.undeclared.clear();
  message.reply_kind = ReplyKind::Success;
  message.header = r.read_message_begin();
  message.fn = resolve ? resolve(message.header) : nullptr;
  if (message.header.type == MessageType::Reply || message.header.type == MessageType::Exception) {
    read_reply_body(r, message.fn, options, message, message.reply_kind);
    return;
  }
  JsonText out(message.json, options.utf8, options.i64);
  decode_struct(r, message.fn ? &message.fn->args : nullptr, out, options.limits.max_depth);
  r.read_message_end();
  message.consumed = r.offset();
}

// `found`, when given, is where find_reply_end found the body. The binary
// and compact readers carry no state from the envelope to the body, so
// they start there; the JSON reader is inside the envelope's array, and
// reads it again.
template <class Reader>
Reply read_reply(std::string_view bytes, const ReplyExtent* found, const idl::Function* fn,
                 const DecodeOptions& options, std::string spare) {
  Reader r(bytes, options.limits);
  Reply reply;
  reply.json = std::move(spare);
  reply.json.clear();
  bool resumed = false;
  if constexpr (std::is_base_of_v<protocol::ByteInput, Reader>) {
    if (found) {
      r.resume_at(found->body_at);
      reply.header = found->header;
      resumed = true;
    }
  }
  if (!resumed) reply.header = read_envelope(r, true);
  read_reply_body(r, fn, options, reply, reply.kind);
  return reply;
}

Reply read_reply_as(ProtocolKind kind, std::string_view bytes, const ReplyExtent* found, const idl::Function* fn,
                    const DecodeOptions& options, std::string spare) {
  return with_protocol(kind, [&](auto p) {
    return read_reply<typename decltype(p)::Reader>(bytes, found, fn, options, std::move(spare));
  });
}

template <class Reader>
ReplyExtent read_reply_extent(std::string_view bytes, const DecodeOptions& options) {
  Reader r(bytes, options.limits);
  ReplyExtent extent;
  extent.header = read_envelope(r, true);
  extent.body_at = r.offset();
  // One level more than the limit: read_reply_body does not count the
  // result struct itself, only what is inside it.
  protocol::skip(r, TType::Struct, options.limits.max_depth + 1);
  r.read_message_end();
  extent.consumed = r.offset();
  return extent;
}

template <class Reader>
Call read_call(std::string_view bytes, const CallResolver& resolve, const DecodeOptions& options) {
  Reader r(bytes, options.limits);
  Call call;
  call.header = read_envelope(r, false);
  call.fn = resolve(call.header);
  JsonText out(call.args_json, options.utf8, options.i64);
  decode_struct(r, call.fn ? &call.fn->args : nullptr, out, options.limits.max_depth);
  r.read_message_end();
  call.consumed = r.offset();
  return call;
}

template <class Writer>
std::string write_application_exception(std::string_view name, int32_t seqid, const ApplicationException& e) {
  std::string out;
  Writer w(out);
  w.write_message_begin({std::string(name), MessageType::Exception, seqid});
  w.write_struct_begin();
  w.write_field_begin(TType::String, 1);
  w.write_string(e.message);
  w.write_field_end();
  w.write_field_begin(TType::I32, 2);
  w.write_i32(e.type);
  w.write_field_end();
  w.write_field_stop();
  w.write_struct_end();
  w.write_message_end();
  return out;
}

}  // namespace

void encode_call_into(ProtocolKind kind, const idl::Function& fn, const Json& args, int32_t seqid,
                      std::string_view service_prefix, std::string& out) {
  std::string name = service_prefix.empty() ? fn.name : std::string(service_prefix) + ":" + fn.name;
  MessageHeader header{std::move(name), fn.oneway ? MessageType::Oneway : MessageType::Call, seqid};
  encode_message_as(kind, header, &fn.args, args, out);
}

std::string encode_call(ProtocolKind kind, const idl::Function& fn, const Json& args, int32_t seqid,
                        std::string_view service_prefix) {
  std::string out;
  encode_call_into(kind, fn, args, seqid, service_prefix, out);
  return out;
}

std::string encode_raw_call(ProtocolKind kind, std::string_view method, bool oneway, const Json& args,
                            int32_t seqid) {
  MessageHeader header{std::string(method), oneway ? MessageType::Oneway : MessageType::Call, seqid};
  return encode_message_as(kind, header, nullptr, args);
}

Reply decode_reply(ProtocolKind kind, std::string_view bytes, const idl::Function* fn, const DecodeOptions& options) {
  return read_reply_as(kind, bytes, nullptr, fn, options, {});
}

Reply decode_reply(ProtocolKind kind, std::string_view bytes, const ReplyExtent& found, const idl::Function* fn,
                   const DecodeOptions& options, std::string spare) {
  return read_reply_as(kind, bytes, &found, fn, options, std::move(spare));
}

ReplyExtent find_reply_end(ProtocolKind kind, std::string_view bytes, const DecodeOptions& options) {
  return with_protocol(kind, [&](auto p) { return read_reply_extent<typename decltype(p)::Reader>(bytes, options); });
}

Call decode_call(ProtocolKind kind, std::string_view bytes, const CallResolver& resolve, const DecodeOptions& options) {
  return with_protocol(kind, [&](auto p) { return read_call<typename decltype(p)::Reader>(bytes, resolve, options); });
}

void decode_any_message(ProtocolKind kind, std::string_view bytes, const CallResolver& resolve,
                        const DecodeOptions& options, AnyMessage& message) {
  with_protocol(kind,
                [&](auto p) { read_any_message<typename decltype(p)::Reader>(bytes, resolve, options, message); });
}

std::string encode_reply(ProtocolKind kind, const idl::Function& fn, std::string_view name, int32_t seqid,
                         const Json& result) {
  return encode_message_as(kind, {std::string(name), MessageType::Reply, seqid}, &fn.result, result);
}

void check_reply_header(const MessageHeader& header, std::string_view method, int32_t seqid) {
  std::string_view name = header.name;
  size_t colon = name.find(':');
  std::string_view bare_method = method.substr(method.find(':') == std::string_view::npos ? 0 : method.find(':') + 1);
  bool name_ok = name == method || name == bare_method ||
                 (colon != std::string_view::npos && name.substr(colon + 1) == bare_method);
  if (!name_ok)
    throw Error(ErrorKind::Protocol,
                "the reply is for method \"" + header.name + "\", not \"" + std::string(method) + "\"", "reply header");
  if (header.seqid != seqid)
    throw Error(ErrorKind::Protocol,
                "the reply has seqid " + std::to_string(header.seqid) + ", the call " + std::to_string(seqid),
                "reply header");
}

std::string encode_application_exception(ProtocolKind kind, std::string_view name, int32_t seqid,
                                         const ApplicationException& exception) {
  return with_protocol(kind, [&](auto p) {
    return write_application_exception<typename decltype(p)::Writer>(name, seqid, exception);
  });
}

}  // namespace thrift_call::codec
