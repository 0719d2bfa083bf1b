#include "core/serve/http_frontend.h"

#include <microhttpd.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "base/error.h"
#include "core/platform/dynamic_library.h"
#include "core/serve/dispatcher.h"
#include "core/serve/recorder.h"
#include "core/transport/framing.h"
#include "core/transport/socket.h"
#include "core/transport/wire_detect.h"

namespace thrift_call::serve {

namespace {

// libmicrohttpd's functions, from the library opened when serve starts:
// linked at start-up it (and GnuTLS, which it pulls in) would cost every
// command about 3 ms (see core/platform/dynamic_library.h).
struct Microhttpd {
  DynamicLibrary library{"libmicrohttpd.so.12", "libmicrohttpd12", "serving HTTP", ErrorKind::Transport};
  THRIFT_CALL_DYNAMIC_FUNCTION(MHD_create_response_from_buffer);
  THRIFT_CALL_DYNAMIC_FUNCTION(MHD_add_response_header);
  THRIFT_CALL_DYNAMIC_FUNCTION(MHD_queue_response);
  THRIFT_CALL_DYNAMIC_FUNCTION(MHD_destroy_response);
  THRIFT_CALL_DYNAMIC_FUNCTION(MHD_get_connection_info);
  THRIFT_CALL_DYNAMIC_FUNCTION(MHD_lookup_connection_value);
  THRIFT_CALL_DYNAMIC_FUNCTION(MHD_start_daemon);
  THRIFT_CALL_DYNAMIC_FUNCTION(MHD_stop_daemon);
  THRIFT_CALL_DYNAMIC_FUNCTION(MHD_add_connection);
};

const Microhttpd& mhd() {
  static const Microhttpd loaded;
  return loaded;
}

struct Request {
  std::string body;
  bool too_large = false;
};

MHD_Result respond(MHD_Connection* connection, unsigned status, std::string_view body, const char* type) {
  MHD_Response* response =
      mhd().MHD_create_response_from_buffer(body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
  mhd().MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  MHD_Result rc = mhd().MHD_queue_response(connection, status, response);
  mhd().MHD_destroy_response(response);
  return rc;
}

MHD_Result too_large(MHD_Connection* connection, size_t limit) {
  return respond(connection, MHD_HTTP_CONTENT_TOO_LARGE,
                 "the request is larger than the limit of " + std::to_string(limit) + " bytes\n", "text/plain");
}

MHD_Result on_request(void* cls, MHD_Connection* connection, const char* /*url*/, const char* method,
                      const char* /*version*/, const char* upload_data, size_t* upload_size, void** state) {
  auto* self = static_cast<HttpFrontend*>(cls);
  if (*state == nullptr) {
    *state = new Request;
    // A declared length over the limit is answered before the body is
    // read, not after gigabytes of it.
    const char* length = mhd().MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length && std::strtoull(length, nullptr, 10) > self->options().max_message_bytes)
      return too_large(connection, self->options().max_message_bytes);
    return MHD_YES;
  }
  auto* request = static_cast<Request*>(*state);
  if (*upload_size != 0) {
    if (request->body.size() + *upload_size > self->options().max_message_bytes) {
      request->too_large = true;
    } else {
      request->body.append(upload_data, *upload_size);
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (std::string_view(method) != "POST")
    return respond(connection, MHD_HTTP_METHOD_NOT_ALLOWED, "Thrift over HTTP takes POST\n", "text/plain");
  if (request->too_large) return too_large(connection, self->options().max_message_bytes);
  // A THeader frame (Apache's THttpClient under THeaderProtocol) is
  // answered with one, in its protocol and zlib, as a socket client is.
  std::optional<transport::FrameReader> theader;
  std::string_view message = request->body;
  std::optional<codec::ProtocolKind> protocol;
  if (transport::is_theader_frame(message)) {
    theader.emplace(transport::Framing::Header, self->options().max_message_bytes);
    if (theader->next_whole(message) != transport::FrameStatus::Ready)
      return respond(connection, MHD_HTTP_BAD_REQUEST,
                     "the body is a THeader frame that cannot be read: " + printable(theader->why()) + "\n",
                     "text/plain");
    message = theader->frame().message;
    protocol = theader->frame().protocol;
    if (message.empty())
      return respond(connection, MHD_HTTP_BAD_REQUEST, "the body is a THeader frame without a message\n", "text/plain");
  } else {
    protocol = transport::detect_message_protocol(message);
    if (!protocol || (self->options().protocol && *protocol != *self->options().protocol))
      return respond(connection, MHD_HTTP_BAD_REQUEST, "the body is not a Thrift message this server reads\n",
                     "text/plain");
  }

  std::string peer = "http";
  if (const MHD_ConnectionInfo* info = mhd().MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS))
    peer = transport::address_text(info->client_addr);
  Exchange exchange;
  try {
    exchange = self->dispatcher().handle(*protocol, message, {peer, theader ? "http+header" : "http"});
  } catch (const Error& e) {
    return respond(connection, MHD_HTTP_BAD_REQUEST, e.diagnostic() + "\n", "text/plain");
  }
  if (self->recorder() && !exchange.record.empty()) {
    self->recorder()->write(exchange.record);
    self->recorder()->flush();
  }
  if (exchange.delay.count() > 0) std::this_thread::sleep_for(exchange.delay);
  if (theader && !exchange.reply.empty()) {
    transport::THeaderOptions in_kind;
    in_kind.protocol = *protocol;
    in_kind.zlib = theader->frame().header->zlib;
    exchange.reply = transport::frame_message(exchange.reply, transport::Framing::Header, in_kind);
  }
  return respond(connection, MHD_HTTP_OK, exchange.reply, "application/x-thrift");
}

void on_completed(void* /*cls*/, MHD_Connection* /*connection*/, void** state, MHD_RequestTerminationCode) {
  delete static_cast<Request*>(*state);
  *state = nullptr;
}

// libmicrohttpd's own complaints (a client's malformed request line, ...):
// one line each, in the house form.
void on_error(void* /*cls*/, const char* format, va_list args) {
  char line[512];
  std::vsnprintf(line, sizeof line, format, args);
  std::string text = line;
  while (!text.empty() && (text.back() == '\n' || text.back() == '.')) text.pop_back();
  // On a Unix socket (a --listen unix: client, or an HTTPS relay) TCP's
  // options do not exist: libmicrohttpd still tries them, says so, and then
  // that it could not push the data, which it sends all the same.
  bool no_tcp_option =
      text.find("option to") != std::string::npos && text.find("Operation not supported") != std::string::npos;
  if (no_tcp_option || text.rfind("Failed to push the data from buffers", 0) == 0) return;
  std::fprintf(stderr, "thrift-call: HTTP: %s\n", text.c_str());
}

}  // namespace

HttpFrontend::HttpFrontend(const Dispatcher& dispatcher, Recorder* recorder, HttpOptions options)
    : dispatcher_(dispatcher), recorder_(recorder), options_(options) {
  unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_NO_LISTEN_SOCKET |
                   MHD_USE_ITC | MHD_USE_ERROR_LOG;
  daemon_ = mhd().MHD_start_daemon(flags, 0, nullptr, nullptr, &on_request, this, MHD_OPTION_EXTERNAL_LOGGER, &on_error,
                             nullptr, MHD_OPTION_NOTIFY_COMPLETED, &on_completed, nullptr, MHD_OPTION_CONNECTION_LIMIT,
                             options_.max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
                             static_cast<unsigned>(options_.idle_timeout.count()), MHD_OPTION_END);
  if (!daemon_) throw Error(ErrorKind::Transport, "libmicrohttpd could not start", "--transport http");
}

HttpFrontend::~HttpFrontend() {
  if (daemon_) mhd().MHD_stop_daemon(daemon_);
}

bool HttpFrontend::adopt(int fd, const sockaddr* address, socklen_t length) {
  return mhd().MHD_add_connection(daemon_, fd, address, length) == MHD_YES;
}

}  // namespace thrift_call::serve
