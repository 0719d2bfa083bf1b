#include "core/transport/endpoint.h"

#include <charconv>

#include "base/error.h"

namespace thrift_call::transport {

namespace {

[[noreturn]] void bad(std::string_view text, const std::string& why) {
  throw Error(ErrorKind::Usage, "ENDPOINT \"" + std::string(text) + "\": " + why, std::string(kEndpointForms));
}

uint16_t parse_port(std::string_view text, std::string_view port) {
  unsigned value = 0;
  auto res = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || res.ec != std::errc() || res.ptr != port.data() + port.size() || value == 0 || value > 65535)
    bad(text, "the port must be a number from 1 to 65535");
  return static_cast<uint16_t>(value);
}

}  // namespace

Endpoint parse_endpoint(std::string_view text) {
  Endpoint e;
  e.text = std::string(text);
  if (text.rfind("unix:", 0) == 0) {
    e.kind = EndpointKind::Unix;
    e.path = std::string(text.substr(5));
    if (e.path.empty()) bad(text, "no socket path after unix:");
    return e;
  }
  if (text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0) {
    e.kind = EndpointKind::Http;
    e.path = std::string(text);
    return e;
  }
  if (size_t scheme = text.find("://"); scheme != std::string_view::npos)
    bad(text, "thrift-call does not know " + std::string(text.substr(0, scheme + 3)) +
                  "; TCP is plain host:port, HTTP http:// or https://");
  if (size_t slash = text.find('/'); slash != std::string_view::npos && text.find(':') < slash)
    bad(text, "a path needs http:// (http://" + std::string(text) + "); TCP is plain host:port");
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) bad(text, "no closing ']' after the IPv6 address");
    e.host = std::string(text.substr(1, close - 1));
    if (close + 1 >= text.size() || text[close + 1] != ':') bad(text, "no :port after the IPv6 address");
    e.port = parse_port(text, text.substr(close + 2));
    return e;
  }
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) bad(text, "no port (" + std::string(text) + ":9090?)");
  if (text.find(':') != colon) bad(text, "an IPv6 address goes in brackets: [::1]:9090");
  e.host = std::string(text.substr(0, colon));
  if (e.host.empty()) bad(text, "no host before the port");
  e.port = parse_port(text, text.substr(colon + 1));
  return e;
}

bool looks_like_endpoint(std::string_view text) {
  if (text.rfind("unix:", 0) == 0 || text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0) return true;
  if (!text.empty() && text.front() == '[') return true;
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= text.size()) return false;
  for (char c : text.substr(colon + 1))
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace thrift_call::transport
