// Where a call goes: ENDPOINT on the command line.
//   host:port, name:port, [::1]:9090        TCP (TLS with --tls)
//   unix:/path/to/socket                     a Unix domain socket
//   http://host:port/path, https://...       HTTP POST (libcurl)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace thrift_call::transport {

enum class EndpointKind { Tcp, Unix, Http };

struct Endpoint {
  EndpointKind kind = EndpointKind::Tcp;
  std::string host;     // Tcp: name or address, without brackets
  uint16_t port = 0;    // Tcp
  std::string path;     // Unix: the socket path; Http: the whole URL
  std::string text;     // as the user wrote it, for messages and the cache
};

// The forms, as error messages and help show them.
inline constexpr std::string_view kEndpointForms =
    "ENDPOINT is host:port, [::1]:9090, unix:/path, http://host:port/path or https://host:port/path";

// Throws Error (Usage) naming what is wrong and the forms that work:
// "ENDPOINT \"x\": no port (x:9090?) (ENDPOINT is host:port, ...)".
Endpoint parse_endpoint(std::string_view text);

// Whether `text` looks like an endpoint rather than a verb or a method
// ("localhost:9090", "unix:/x", "http://..."): the CLI's default verb test.
bool looks_like_endpoint(std::string_view text);

}  // namespace thrift_call::transport
