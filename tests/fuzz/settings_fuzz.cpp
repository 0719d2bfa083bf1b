// Settings fuzzer: the text files and strings a user hands thrift-call. The
// first byte picks one: the config file (core/user_input/config.h), serve's responses
// file checked against ThriftTest (core/serve/responses.h), or an ENDPOINT
// string (core/transport/endpoint.h). Each gives its value or an Error of
// its documented kind (Input for files, Usage for ENDPOINT).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/codec/message.h"
#include "core/user_input/config.h"
#include "core/user_input/json_input.h"
#include "core/serve/responses.h"
#include "core/transport/endpoint.h"
#include "fuzz_schema.h"
#include "base/error.h"

namespace {

using namespace thrift_call;

void config(const std::string& text) {
  try {
    Config c = parse_config(text, "config.json");
    for (const auto& [name, endpoint] : c.aliases)
      if (resolve_alias(c, name) != endpoint) std::abort();
    (void)merge_headers({"Authorization: x"}, c);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Input) std::abort();
  }
}

void responses(const std::string& text) {
  const idl::Schema& schema = fuzz::thrift_test_schema();
  serve::Responses parsed;
  try {
    parsed = serve::Responses::parse(parse_json_argument(text, "responses.json"), schema, "responses.json");
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Input) std::abort();
    return;
  }
  // What serve does with each rule on a call: match, then answer.
  for (const idl::Function* fn : fuzz::thrift_test_functions()) {
    const std::vector<serve::Rule>* rules = parsed.rules(*fn);
    if (!rules) continue;
    for (const serve::Rule& rule : *rules) {
      if (rule.when && !serve::json_matches(*rule.when, *rule.when)) std::abort();
      using Kind = serve::Answer::Kind;
      for (codec::ProtocolKind kind : {codec::ProtocolKind::Binary, codec::ProtocolKind::Compact,
                                       codec::ProtocolKind::Json}) {
        // The file was checked when it was read: its answers encode.
        if (rule.answer.kind == Kind::Return || rule.answer.kind == Kind::Throw)
          (void)codec::encode_reply(kind, *fn, fn->name, 1, rule.answer.result);
        else if (rule.answer.kind == Kind::Error)
          (void)codec::encode_application_exception(kind, fn->name, 1, rule.answer.error);
      }
    }
  }
}

void endpoint(const std::string& text) {
  (void)transport::looks_like_endpoint(text);
  try {
    transport::Endpoint e = transport::parse_endpoint(text);
    transport::Endpoint again = transport::parse_endpoint(e.text);
    if (again.kind != e.kind || again.host != e.host || again.port != e.port || again.path != e.path) std::abort();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Usage) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: config(text); break;
    case 1: responses(text); break;
    default: endpoint(text); break;
  }
  return 0;
}
