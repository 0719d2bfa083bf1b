// A session's options for the tests that drive the call path directly
// (tests/core/call, tests/core/serve): PersonService at `endpoint`, the
// endpoint cache left alone, protocol and framing fixed or (nullopt) left
// to auto.
#pragma once

#include <optional>
#include <string>

#include "core/call/session.h"

namespace thrift_call::test {

inline CallOptions person_service_options(const std::string& endpoint,
                                          std::optional<codec::ProtocolKind> protocol = std::nullopt,
                                          std::optional<transport::Framing> framing = std::nullopt,
                                          CallObserver* observer = nullptr) {
  CallOptions options;
  options.endpoint = transport::parse_endpoint(endpoint);
  options.protocol = protocol;
  options.framing = framing;
  options.use_cache = false;
  options.service = "PersonService";
  options.observer = observer;
  return options;
}

}  // namespace thrift_call::test
