// Thrift messages: the envelope (name, type, seqid) around a call's argument
// struct or a reply's result struct, multiplexed names, and
// TApplicationException. Built on the same encoder and decoder as values.
//
// A reply is one of three things, and a caller treats them differently:
//   Success               the return value (JSON null for void)
//   DeclaredException     {"TypeName": {...}}: a result, exit code 1
//   ApplicationException  the server could not run the call: exit code 4
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/codec/codec.h"
#include "core/protocol/ttype.h"
#include "idl/schema.h"

namespace thrift_call::codec {

// TApplicationException, as every Apache library reads and writes it:
// field 1 the message, field 2 the type.
struct ApplicationException {
  int32_t type = 0;
  std::string message;
};
// "UNKNOWN_METHOD", "INTERNAL_ERROR", ...; "UNKNOWN" for numbers outside the list.
const char* application_exception_type_name(int32_t type);

// The call message for `fn` with `args` (an object keyed by argument name;
// raw "id:type" keys allowed). `service_prefix` non-empty makes the name
// "Service:method", as TMultiplexedProtocol does. Oneway functions get the
// oneway message type. Throws Error (Input) with a JSON path; nothing is
// returned then.
std::string encode_call(ProtocolKind kind, const idl::Function& fn, const Json& args, int32_t seqid,
                        std::string_view service_prefix = {});

// encode_call into `out`, replacing what it held but keeping its capacity:
// a batch encodes each call into the buffer of the call before last. After
// an Error, `out` holds part of a message.
void encode_call_into(ProtocolKind kind, const idl::Function& fn, const Json& args, int32_t seqid,
                      std::string_view service_prefix, std::string& out);

// A call without an IDL: `args` in raw notation.
std::string encode_raw_call(ProtocolKind kind, std::string_view method, bool oneway, const Json& args,
                            int32_t seqid);

enum class ReplyKind { Success, DeclaredException, ApplicationException };

struct Reply {
  protocol::MessageHeader header;
  ReplyKind kind = ReplyKind::Success;
  std::string json;        // Success and DeclaredException
  ApplicationException application_exception;
  // Non-empty: the result held a field the IDL does not describe, which
  // `json` shows raw ({"id:type": value}); says which, for a warning.
  std::string undeclared;
  size_t consumed = 0;     // bytes of the message
};

// Reads one reply message. `fn` may be nullptr: the result is then read in
// raw notation (field 0 is the success value, any other a declared exception,
// printed {"<id>:struct": {...}}, or {"<id>:<type>": value} when it is no
// struct). Throws Error (Protocol) with the byte
// offset for anything undecodable, and for a message that is not a reply.
Reply decode_reply(ProtocolKind kind, std::string_view bytes, const idl::Function* fn,
                   const DecodeOptions& options = {});

// Where a reply ends, and its envelope, found without decoding its body:
// the reply can be taken off the connection now and decoded later. The
// body is read as decode_reply reads it, within the same limits, so an
// error decode_reply meets after this succeeded is one of that reply
// alone. Throws as decode_reply does: Error (Protocol) for what is not a
// well-formed reply, protocol::InputEnded when the bytes stop before the
// message does.
struct ReplyExtent {
  protocol::MessageHeader header;
  size_t body_at = 0;   // where the result struct starts
  size_t consumed = 0;  // bytes of the message
};
ReplyExtent find_reply_end(ProtocolKind kind, std::string_view bytes, const DecodeOptions& options = {});

// decode_reply for a reply find_reply_end found at the start of `bytes`,
// without reading its envelope again. The JSON is written into `spare`
// (what it held is dropped, its capacity kept): a batch hands back each
// printed line's buffer, so that a line allocates nothing.
Reply decode_reply(ProtocolKind kind, std::string_view bytes, const ReplyExtent& found, const idl::Function* fn,
                   const DecodeOptions& options = {}, std::string spare = {});

// Checks a reply's envelope against the call: its seqid, and its name
// (`method`, or "Service:method"; multiplexed servers answer with the bare
// method name). Throws Error (Protocol) saying what differs.
void check_reply_header(const protocol::MessageHeader& header, std::string_view method, int32_t seqid);

// A call as a server reads it.
struct Call {
  protocol::MessageHeader header;     // the name as sent: "Service:method" when multiplexed
  const idl::Function* fn = nullptr;  // what the resolver found; nullptr: the arguments are raw
  std::string args_json;              // the argument struct in the JSON mapping
  size_t consumed = 0;                // bytes of the message
};

// Finds the function a call names, from its envelope; nullptr when there is
// none (the arguments are then read raw, so the message is still read to its end).
using CallResolver = std::function<const idl::Function*(const protocol::MessageHeader&)>;

// Reads one call or oneway message. Throws Error (Protocol) with the byte
// offset for anything undecodable and for a message that is not a call;
// protocol::InputEnded when the bytes stop before the message does.
Call decode_call(ProtocolKind kind, std::string_view bytes, const CallResolver& resolve,
                 const DecodeOptions& options = {});

// Any message, as a reader of captured traffic meets it: a call, a oneway,
// a reply or an exception. Reused from message to message so that a long
// capture decodes without an allocation per message.
struct AnyMessage {
  protocol::MessageHeader header;
  const idl::Function* fn = nullptr;  // what the resolver found; nullptr: read raw
  std::string json;                   // call/oneway: the arguments; reply: see reply_kind
  ReplyKind reply_kind = ReplyKind::Success;  // replies and exceptions
  ApplicationException application_exception;
  std::string undeclared;  // as Reply::undeclared
  size_t consumed = 0;
};

// Reads one message of any type into `message` (its fields overwritten).
// Errors as decode_call.
void decode_any_message(ProtocolKind kind, std::string_view bytes, const CallResolver& resolve,
                        const DecodeOptions& options, AnyMessage& message);

// The reply message a server sends for `fn`: `result` is the result struct as
// JSON, {"success": value}, {"<exception field>": {...}}, or {} for void.
// Servers answer with the bare method name, even to a multiplexed call.
// Throws Error (Input) with a JSON path when `result` does not fit the IDL.
std::string encode_reply(ProtocolKind kind, const idl::Function& fn, std::string_view name, int32_t seqid,
                         const Json& result);

// An exception message carrying a TApplicationException (what a server
// sends when it cannot run a call).
std::string encode_application_exception(ProtocolKind kind, std::string_view name, int32_t seqid,
                                         const ApplicationException& exception);

}  // namespace thrift_call::codec
