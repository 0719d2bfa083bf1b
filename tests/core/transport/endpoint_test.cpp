#include <catch2/catch.hpp>

#include "core/transport/endpoint.h"
#include "base/error.h"

using namespace thrift_call;
using namespace thrift_call::transport;

TEST_CASE("endpoints parse as TCP, IPv6, Unix and HTTP", "[core][transport][endpoint]") {
  Endpoint e = parse_endpoint("localhost:9090");
  CHECK(e.kind == EndpointKind::Tcp);
  CHECK(e.host == "localhost");
  CHECK(e.port == 9090);
  e = parse_endpoint("[::1]:9091");
  CHECK(e.host == "::1");
  CHECK(e.port == 9091);
  e = parse_endpoint("unix:/tmp/x.sock");
  CHECK(e.kind == EndpointKind::Unix);
  CHECK(e.path == "/tmp/x.sock");
  e = parse_endpoint("https://api.example.com:8443/thrift");
  CHECK(e.kind == EndpointKind::Http);
  CHECK(e.path == "https://api.example.com:8443/thrift");
}

TEST_CASE("a malformed endpoint is a usage error saying what is wrong", "[core][transport][endpoint]") {
  CHECK_THROWS_WITH(parse_endpoint("localhost"), Catch::Contains("no port"));
  CHECK_THROWS_WITH(parse_endpoint("localhost:0"), Catch::Contains("1 to 65535"));
  CHECK_THROWS_WITH(parse_endpoint("localhost:99999"), Catch::Contains("1 to 65535"));
  CHECK_THROWS_WITH(parse_endpoint("::1:9090"), Catch::Contains("IPv6 address goes in brackets"));
  CHECK_THROWS_WITH(parse_endpoint("[::1"), Catch::Contains("no closing ']'"));
  CHECK_THROWS_WITH(parse_endpoint("unix:"), Catch::Contains("no socket path"));
  try {
    parse_endpoint(":80");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Usage);
  }
}

TEST_CASE("the default verb is chosen by what looks like an endpoint", "[core][transport][endpoint]") {
  CHECK(looks_like_endpoint("localhost:9090"));
  CHECK(looks_like_endpoint("[::1]:9090"));
  CHECK(looks_like_endpoint("unix:/s"));
  CHECK(looks_like_endpoint("http://x/"));
  CHECK_FALSE(looks_like_endpoint("list"));
  CHECK_FALSE(looks_like_endpoint("PersonService.getPerson"));
  CHECK_FALSE(looks_like_endpoint("a:b"));
}
