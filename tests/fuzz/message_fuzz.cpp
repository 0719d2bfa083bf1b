// Message fuzzer: envelopes and reply reading, as the client and decode meet
// them. The first byte picks the protocol and a ThriftTest function; the rest
// is one message. find_reply_end and decode_reply must agree on where a reply
// ends; every reader gives a value or an Error of kind Protocol (InputEnded
// when the bytes stop early); never a crash, a hang or a leak.
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "core/codec/message.h"
#include "fuzz_schema.h"
#include "base/error.h"

namespace {

using namespace thrift_call;

void require_protocol_error(const Error& e) {
  if (e.kind() != ErrorKind::Protocol) std::abort();
}

// The decoders write JSON text straight into a buffer: it must be JSON.
void require_json(const std::string& text) {
  if (!nlohmann::json::accept(text)) std::abort();
}

// Read raw, a declared exception is {"id:type": value}: "id:struct" for an
// object (a struct) alone, and a scalar encodes again as a struct with that
// one field.
// (Not always a container or struct: the wire lets each inner list of a
// list<list> carry its own element type, and a struct hold one id twice,
// which raw notation cannot send; no IDL makes such values.)
void check_raw_exception(codec::ProtocolKind kind, const std::string& json) {
  codec::Json exception = codec::Json::parse(json);
  if (!exception.is_object() || exception.size() != 1) std::abort();
  const codec::Json& value = exception.begin().value();
  if (exception.begin().key().ends_with(":struct") && !value.is_object()) std::abort();
  if (!value.is_structured()) (void)codec::serialize(kind, nullptr, exception);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const codec::ProtocolKind kind = fuzz::pick_protocol(data[0]);
  const idl::Function* fn = fuzz::pick_function(data[0] / 3);
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  codec::DecodeOptions options;
  options.limits.string_limit = 1 << 20;  // a claimed size past the input must fail without allocating it
  options.limits.container_limit = 1 << 16;
  // The size of the input picks the policies (the selector byte is taken).
  options.utf8 = size % 2 ? codec::Utf8Policy::Latin1 : codec::Utf8Policy::Replace;
  options.i64 = size % 4 >= 2 ? codec::I64Policy::String : codec::I64Policy::Number;

  std::optional<codec::ReplyExtent> extent;
  try {
    extent = codec::find_reply_end(kind, bytes, options);
  } catch (const Error& e) {
    require_protocol_error(e);
  }
  if (extent) {
    if (extent->consumed > bytes.size() || extent->body_at > extent->consumed) std::abort();
    try {
      codec::Reply reply = codec::decode_reply(kind, bytes, *extent, fn, options);
      if (reply.consumed != extent->consumed) std::abort();
      if (reply.kind != codec::ReplyKind::ApplicationException) require_json(reply.json);
    } catch (const Error& e) {
      require_protocol_error(e);
    }
  }
  // Whole replies, with the function's result struct and raw: what decodes
  // is a reply find_reply_end found, ending at the same byte.
  for (const idl::Function* with : {fn, static_cast<const idl::Function*>(nullptr)}) {
    try {
      codec::Reply reply = codec::decode_reply(kind, bytes, with, options);
      if (!extent || reply.consumed != extent->consumed) std::abort();
      if (!with && reply.kind == codec::ReplyKind::DeclaredException) check_raw_exception(kind, reply.json);
      if (reply.kind == codec::ReplyKind::ApplicationException)
        (void)codec::application_exception_type_name(reply.application_exception.type);
      codec::check_reply_header(reply.header, fn->name, reply.header.seqid);
    } catch (const Error& e) {
      require_protocol_error(e);
    }
  }
  // The server's reader, and the capture reader's (any message type).
  auto resolve = [&](const protocol::MessageHeader& header) -> const idl::Function* {
    return header.name == fn->name ? fn : nullptr;
  };
  try {
    require_json(codec::decode_call(kind, bytes, resolve, options).args_json);
  } catch (const Error& e) {
    require_protocol_error(e);
  }
  try {
    static codec::AnyMessage message;  // reused, as a capture reuses it
    codec::decode_any_message(kind, bytes, resolve, options, message);
    if (message.consumed > bytes.size()) std::abort();
    if (message.reply_kind != codec::ReplyKind::ApplicationException) require_json(message.json);
  } catch (const Error& e) {
    require_protocol_error(e);
  }
  return 0;
}
