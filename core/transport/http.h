// HTTP and HTTPS endpoints through libcurl: each message is POSTed as
// application/x-thrift and the reply is the response body (THttpClient).
// With Framing::Header the body is a THeader frame both ways (THttpClient
// under THeaderProtocol); framed messages have no place in HTTP.
#pragma once

#include <memory>

#include "core/transport/connection.h"

namespace thrift_call::transport {

std::unique_ptr<Connection> connect_http(const Endpoint& endpoint, const ConnectOptions& options);

}  // namespace thrift_call::transport
