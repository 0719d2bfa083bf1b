#include "core/call/settings.h"

#include <algorithm>
#include <utility>

#include "base/error.h"
#include "core/call/observer.h"

namespace thrift_call {

namespace {

// Seconds as milliseconds; a value that is not in (0, one day] (0, negative,
// inf, nan) would make the conversion undefined or the wait meaningless.
std::chrono::milliseconds checked_timeout(double seconds, const char* flag) {
  if (!(seconds > 0 && seconds <= kMaxTimeoutSeconds))
    throw Error(ErrorKind::Usage, "a number of seconds above 0 and at most 86400 is needed", flag);
  return std::chrono::milliseconds(std::max<long long>(1, static_cast<long long>(seconds * 1000)));
}

}  // namespace

CallOptions make_call_options(const CallSettings& settings, const std::string& service) {
  CallOptions options;
  options.endpoint = transport::parse_endpoint(settings.endpoint);
  options.protocol = codec::parse_protocol_kind(settings.protocol);  // "auto": nullopt
  options.framing = transport::parse_framing(settings.transport);
  options.connect.timeout = checked_timeout(settings.timeout_s, "--timeout");
  options.connect.connect_timeout = checked_timeout(settings.connect_timeout_s, "--connect-timeout");
  options.probe_window = checked_timeout(settings.detect_timeout_s, "--detect-timeout");
  options.service = service;
  options.connect.tls = settings.tls;
  bool https = options.endpoint.kind == transport::EndpointKind::Http && options.endpoint.path.rfind("https://", 0) == 0;
  if (!settings.tls.enabled && !https) {
    const transport::TlsOptions& tls = settings.tls;
    const char* flag = !tls.cacert.empty() ? "--cacert"
                       : !tls.cert.empty() ? "--cert"
                       : !tls.key.empty()  ? "--key"
                       : tls.insecure      ? "--insecure"
                       : !tls.servername.empty() ? "--servername"
                                                 : nullptr;
    if (flag)
      throw Error(ErrorKind::Usage, std::string(flag) + " is for TLS: add --tls, or use an https:// endpoint", flag);
  }
  if (https && !settings.tls.servername.empty())
    throw Error(ErrorKind::Usage, "--servername is for --tls over TCP: an https:// URL's host is the name verified",
                "--servername");
  const bool http = options.endpoint.kind == transport::EndpointKind::Http;
  if (http && options.framing && *options.framing != transport::Framing::Buffered &&
      *options.framing != transport::Framing::Header)
    throw Error(ErrorKind::Usage,
                "an HTTP body is the message itself or a THeader frame: use --transport buffered or header with " +
                    std::string(https ? "https" : "http") + "://",
                "--transport " + settings.transport);
  if (settings.zlib && options.framing && !transport::carries_theader(*options.framing))
    throw Error(ErrorKind::Usage, "--zlib compresses THeader payloads: use it with --transport header", "--zlib");
  if (settings.zlib && http && !options.framing)
    throw Error(
        ErrorKind::Usage,
        "--zlib compresses THeader payloads: add --transport header (HTTP bodies are otherwise sent as they are)",
        "--zlib");
  options.connect.max_message_bytes = settings.max_message;
  // A string in the reply may be as long as the reply.
  options.decode.limits.string_limit = static_cast<int64_t>(settings.max_message);
  options.connect.http_headers = settings.headers;
  options.connect.theader.zlib = settings.zlib;
  for (const std::string& h : settings.headers) {
    size_t colon = h.find(':');
    if (colon == std::string::npos || colon == 0)
      throw Error(ErrorKind::Usage, "a header is 'Name: value', got \"" + h + "\"", "-H");
    size_t value = h.find_first_not_of(' ', colon + 1);
    options.connect.theader.headers.emplace_back(h.substr(0, colon), value == std::string::npos ? "" : h.substr(value));
  }
  if (settings.verbose) options.observer = &stderr_trace();
  if (settings.multiplex) options.multiplex = settings.multiplex->empty() ? service : *settings.multiplex;
  options.decode.i64 = settings.i64_as_string ? codec::I64Policy::String : codec::I64Policy::Number;
  return options;
}

void refuse_headers_nothing_carries(const std::vector<std::string>& given, const CallOptions& options) {
  if (given.empty() || options.endpoint.kind == transport::EndpointKind::Http || !options.framing ||
      transport::carries_theader(*options.framing))
    return;
  throw Error(ErrorKind::Usage,
              "headers travel in HTTP requests and THeader frames, and --transport " +
                  std::string(transport::to_string(*options.framing)) +
                  " has neither: use --transport header, or an http:// endpoint",
              "-H");
}

}  // namespace thrift_call
