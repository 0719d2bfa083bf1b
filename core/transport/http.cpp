#include "core/transport/http.h"

// The declarations only: libcurl is loaded on first use (see Curl below), and
// its type-checking macros would hide the functions' names.
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "base/error.h"
#include "base/hex.h"
#include "core/platform/dynamic_library.h"
#include "core/protocol/ttype.h"
#include "core/transport/errors.h"
#include "core/transport/framing.h"
#include "core/transport/wire_detect.h"

namespace thrift_call::transport {

namespace {

// libcurl's functions, from libcurl.so.4 opened on the first http(s) call:
// linked at start-up, libcurl and the 25 libraries it pulls in would cost
// every call, HTTP or not, about 3.5 ms (see DynamicLibrary).
struct Curl {
  DynamicLibrary library{"libcurl.so.4", "libcurl4", "an http(s) endpoint", ErrorKind::Transport};
  THRIFT_CALL_DYNAMIC_FUNCTION(curl_global_init);
  THRIFT_CALL_DYNAMIC_FUNCTION(curl_easy_init);
  THRIFT_CALL_DYNAMIC_FUNCTION(curl_easy_setopt);
  THRIFT_CALL_DYNAMIC_FUNCTION(curl_easy_perform);
  THRIFT_CALL_DYNAMIC_FUNCTION(curl_easy_getinfo);
  THRIFT_CALL_DYNAMIC_FUNCTION(curl_easy_strerror);
  THRIFT_CALL_DYNAMIC_FUNCTION(curl_easy_cleanup);
  THRIFT_CALL_DYNAMIC_FUNCTION(curl_slist_append);
  THRIFT_CALL_DYNAMIC_FUNCTION(curl_slist_free_all);
  bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
};

const Curl& curl() {
  static const Curl loaded;
  return loaded;
}

// Where the response body goes, and how much of it may: a body is kept
// whole until the reply is decoded, so its size is bounded as it arrives
// (a declared Content-Length is refused before a byte of it comes).
struct BodySink {
  const Curl* api = nullptr;
  CURL* curl = nullptr;
  std::string* body = nullptr;
  size_t limit = 0;
  long status = 0;         // known at the first bytes of the body
  bool over_limit = false;  // stopped: the body passed `limit`
  std::optional<unsigned long long> declared;  // stopped: a Content-Length over `limit`
};

bool is_success(long status) { return status >= 200 && status < 300; }

// Refuses a declared Content-Length over the limit before the body comes.
size_t read_header(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  constexpr std::string_view kName = "content-length:";
  if (line.size() <= kName.size()) return n;
  for (size_t i = 0; i < kName.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != kName[i]) return n;
  unsigned long long length = std::strtoull(std::string(line.substr(kName.size())).c_str(), nullptr, 10);
  long status = 0;
  sink->api->curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
  if (!is_success(status) || length <= sink->limit) return n;
  sink->declared = length;
  return 0;  // libcurl stops with CURLE_WRITE_ERROR
}

// An error page is only quoted: its start is enough.
constexpr size_t kErrorBodyKept = 1024;

size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  size_t n = size * count;
  if (sink->status == 0) sink->api->curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &sink->status);
  if (!is_success(sink->status)) {
    size_t room = kErrorBodyKept - std::min(kErrorBodyKept, sink->body->size());
    sink->body->append(data, std::min(n, room));
    return n <= room ? n : 0;  // enough of it: stop reading
  }
  if (n > sink->limit - std::min(sink->limit, sink->body->size())) {
    sink->over_limit = true;
    return 0;  // libcurl stops with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

// Sends one POST per message and reads the response with it; receive() then
// decodes the body already read.
class HttpConnection : public Connection {
 public:
  HttpConnection(const Endpoint& endpoint, const ConnectOptions& options) : endpoint_(endpoint), options_(options) {
    curl_ = api_.curl_easy_init();
    if (!api_.initialised || !curl_) throw Error(ErrorKind::Transport, "libcurl could not start", endpoint.text);
    headers_ = api_.curl_slist_append(headers_, "Content-Type: application/x-thrift");
    headers_ = api_.curl_slist_append(headers_, "Accept: application/x-thrift");
    headers_ = api_.curl_slist_append(headers_, "Expect:");  // no 100-continue round trip
    for (const auto& h : options.http_headers) headers_ = api_.curl_slist_append(headers_, h.c_str());
    api_.curl_easy_setopt(curl_, CURLOPT_URL, endpoint.path.c_str());
    api_.curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    api_.curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append_body);
    api_.curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &sink_);
    api_.curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
    api_.curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, read_header);
    api_.curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &sink_);
    api_.curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    api_.curl_easy_setopt(curl_, CURLOPT_USERAGENT, "thrift-call");
    if (!options.tls.cacert.empty()) api_.curl_easy_setopt(curl_, CURLOPT_CAINFO, options.tls.cacert.c_str());
    if (!options.tls.cert.empty()) api_.curl_easy_setopt(curl_, CURLOPT_SSLCERT, options.tls.cert.c_str());
    if (!options.tls.key.empty()) api_.curl_easy_setopt(curl_, CURLOPT_SSLKEY, options.tls.key.c_str());
    if (options.tls.insecure) {
      api_.curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 0L);
      api_.curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  }
  ~HttpConnection() override {
    api_.curl_slist_free_all(headers_);
    api_.curl_easy_cleanup(curl_);
  }

  void set_deadline(std::optional<Clock::time_point> deadline) override { options_.deadline = deadline; }

  void send(std::string_view message) override { post(message, false); }

  // Apache's C++ THttpServer sends no response to a oneway call at all; a
  // Python one answers 200 at once. So once the request is out, the answer
  // gets a short grace (kOnewayGrace, stretched to up to a second by how
  // often libcurl reports progress while idle: enough to see a 404 from a
  // live server) and then the call counts as sent.
  void send_oneway(std::string_view message) override { post(message, true); }

  void receive(FunctionRef<size_t(std::string_view)> decode) override {
    if (response_.empty())
      throw Error(ErrorKind::Transport, "the HTTP response has no body (the server may speak another protocol: try --protocol)",
                  endpoint_.text);
    std::string_view message = response_;
    framed_protocol_.reset();
    if (options_.framing == Framing::Header) {
      if (theader_.next_whole(response_) != FrameStatus::Ready)
        throw Error(ErrorKind::Protocol,
                    "the HTTP response body is not a THeader frame: " + theader_.why() + body_hint(), endpoint_.text);
      for (const auto& [k, v] : theader_.frame().header->headers)
        if (options_.trace) options_.trace("THeader header " + printable(k) + ": " + printable(v));
      message = theader_.frame().message;
      framed_protocol_ = theader_.frame().protocol;
    }
    try {
      decode(message);
    } catch (const protocol::InputEnded& e) {
      throw Error(ErrorKind::Protocol, "the HTTP response body ends inside the message: " + e.message() + body_hint(),
                  e.where());
    }
  }

  const std::string& peer() const override { return endpoint_.text; }
  std::string_view unread() const override { return response_; }

 private:
  struct OnewayWait {
    const Curl* api = nullptr;
    CURL* curl = nullptr;
    std::optional<std::chrono::steady_clock::time_point> sent_at;
    bool gave_up = false;
    bool oneway = false;
    bool cancelled = false;
  };
  static constexpr std::chrono::milliseconds kOnewayGrace{250};

  // libcurl calls it about once a second while a request runs.
  static int progress(void* user, curl_off_t, curl_off_t, curl_off_t upload_total, curl_off_t upload_now) {
    auto* wait = static_cast<OnewayWait*>(user);
    if (cancel_requested()) {  // Ctrl-C in the REPL
      wait->cancelled = true;
      return 1;
    }
    if (!wait->oneway) return 0;
    if (upload_total == 0 || upload_now < upload_total) return 0;
    auto now = std::chrono::steady_clock::now();
    if (!wait->sent_at) wait->sent_at = now;
    long status = 0;
    wait->api->curl_easy_getinfo(wait->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status != 0 || now - *wait->sent_at < kOnewayGrace) return 0;
    wait->gave_up = true;
    return 1;  // stop waiting: the request is out
  }

  // What the body says about the server, when it is not what was asked for.
  std::string body_hint() const {
    if (options_.framing != Framing::Header && is_theader_frame(response_))
      return " (the body is a THeader frame: try --transport header)";
    if (options_.framing == Framing::Header && detect_message_protocol(response_, true))
      return " (the body is a bare message: try --transport buffered)";
    return "";
  }

  void post(std::string_view message, bool oneway) {
    OnewayWait wait{&api_, curl_, std::nullopt, false, oneway, false};
    bool watch = oneway || cancel_flag_installed();
    api_.curl_easy_setopt(curl_, CURLOPT_NOPROGRESS, watch ? 0L : 1L);
    api_.curl_easy_setopt(curl_, CURLOPT_XFERINFOFUNCTION, watch ? &HttpConnection::progress : nullptr);
    api_.curl_easy_setopt(curl_, CURLOPT_XFERINFODATA, &wait);
    if (options_.framing == Framing::Header) {
      request_ = frame_message(message, Framing::Header, options_.theader);
    } else {
      request_.assign(message);
    }
    response_.clear();
    sink_ = BodySink{};
    sink_.api = &api_;
    sink_.curl = curl_;
    sink_.body = &response_;
    sink_.limit = options_.max_message_bytes;
    error_[0] = '\0';
    if (options_.trace)
      options_.trace("POST " + endpoint_.path + " with " + std::to_string(request_.size()) +
                     " bytes: " + to_hex(request_));
    // The whole exchange, connect included, ends by the call's deadline.
    auto timeout = within_deadline(options_, options_.timeout);
    if (timeout.count() <= 0)
      throw Error(TransportFailure::TimedOut, "timed out before sending the request (--timeout)", endpoint_.text);
    api_.curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    api_.curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS,
                          static_cast<long>(std::min(timeout, options_.connect_timeout).count()));
    api_.curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request_.data());
    api_.curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(request_.size()));
    CURLcode rc = api_.curl_easy_perform(curl_);
    if (rc == CURLE_ABORTED_BY_CALLBACK && wait.cancelled) throw transport::cancelled(endpoint_.text);
    if (rc == CURLE_ABORTED_BY_CALLBACK && wait.gave_up) {
      if (options_.trace) options_.trace("oneway: no HTTP response after the request went out; not waiting for one");
      return;
    }
    long status = 0;
    api_.curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    bool error_page = status != 0 && !is_success(status);
    // A status says what went wrong better than the body it cut short.
    if (rc != CURLE_OK && !(error_page && rc == CURLE_WRITE_ERROR)) failed(rc);
    if (options_.trace) {
      double connect = 0, tls = 0, first = 0, total = 0;
      api_.curl_easy_getinfo(curl_, CURLINFO_CONNECT_TIME, &connect);
      api_.curl_easy_getinfo(curl_, CURLINFO_APPCONNECT_TIME, &tls);
      api_.curl_easy_getinfo(curl_, CURLINFO_STARTTRANSFER_TIME, &first);
      api_.curl_easy_getinfo(curl_, CURLINFO_TOTAL_TIME, &total);
      options_.trace("HTTP " + std::to_string(status) + ", " + std::to_string(response_.size()) +
                     " bytes: " + to_hex(response_));
      options_.trace("timings: connect " + ms(connect) + ", tls " + ms(tls) + ", first byte " + ms(first) +
                     ", total " + ms(total));
    }
    if (status < 200 || status >= 300) {
      std::string body = response_.substr(0, 200);
      for (char& c : body)
        if (c == '\n' || c == '\r') c = ' ';
      while (!body.empty() && body.back() == ' ') body.pop_back();
      body = printable(body);  // the server's text, not terminal control
      throw Error::with_http_status(status, "HTTP status " + std::to_string(status) + (body.empty() ? "" : ": " + body),
                                    endpoint_.text);
    }
    refuse_web_page();
  }

  // A 200 page of text or HTML (a proxy's, a web server's at the wrong path)
  // is named as such, not read as a message that fails in every protocol.
  // The type alone does not decide: a Thrift body under any type is read.
  void refuse_web_page() const {
    char* type = nullptr;
    api_.curl_easy_getinfo(curl_, CURLINFO_CONTENT_TYPE, &type);
    // An empty body is receive()'s to judge (a oneway call's answer may be one).
    if (response_.empty() || !type || std::string_view(type).rfind("text/", 0) != 0) return;
    if (is_theader_frame(response_) || detect_message_protocol(response_, true)) return;
    // As a status would: no protocol or framing reads it (auto stops trying).
    throw Error::with_http_status(200,
                                  "the HTTP response is " + printable(type) + ", not a Thrift message: \"" +
                                      printable(std::string_view(response_).substr(0, 80)) +
                                      (response_.size() > 80 ? "...\"" : "\"") +
                                      " (is this the Thrift endpoint's URL?)",
                                  endpoint_.text);
  }

 private:
  // Why the exchange failed, in the terms of a Thrift call.
  [[noreturn]] void failed(CURLcode rc) {
    // libcurl's own line says more than its code's ("SSL certificate
    // problem: self-signed certificate" for "Peer certificate ... not OK").
    std::string why = error_[0] ? std::string(error_) : std::string(api_.curl_easy_strerror(rc));
    switch (rc) {
      case CURLE_OPERATION_TIMEDOUT:
        throw Error(TransportFailure::TimedOut, "timed out (" + why + ")", endpoint_.text);
      case CURLE_GOT_NOTHING:
        throw Error(TransportFailure::ClosedWithoutReply,
                    "the server closed the connection without a response (" + why + ")", endpoint_.text);
      case CURLE_COULDNT_CONNECT:
        throw Error(TransportFailure::Unreachable, "cannot connect (" + why + ")", endpoint_.text);
      case CURLE_COULDNT_RESOLVE_HOST:
        throw Error(TransportFailure::Unreachable, "cannot resolve (" + why + ")", endpoint_.text);
      case CURLE_PEER_FAILED_VERIFICATION: {
        for (std::string_view prefix : {"SSL certificate problem: ", "SSL: "})
          if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
        // "no alternative certificate subject name matches target host name '::1'"
        bool wrong_name = why.find("host name") != std::string::npos;
        throw Error(TransportFailure::Unreachable,
                    "TLS: the server's certificate was not accepted: " +
                        (wrong_name ? "hostname mismatch: " + why +
                                          " (use a name the certificate lists, or --insecure to skip the check)"
                                    : why + " (--cacert FILE to trust its CA, --insecure to skip the check)"),
                    endpoint_.text);
      }
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CERTPROBLEM:
        throw Error(TransportFailure::Unreachable, "TLS: " + why, endpoint_.text);
      case CURLE_WRITE_ERROR:
        if (sink_.declared)
          throw Error(ErrorKind::Protocol,
                      "the HTTP response declares a body of " + std::to_string(*sink_.declared) +
                          " bytes, over the limit of " + std::to_string(options_.max_message_bytes) + " (--max-message)",
                      endpoint_.text);
        if (sink_.over_limit)
          throw Error(ErrorKind::Protocol,
                      "the HTTP response body is larger than the limit of " +
                          std::to_string(options_.max_message_bytes) + " bytes (--max-message)",
                      endpoint_.text);
        [[fallthrough]];
      default: throw Error(ErrorKind::Transport, why, endpoint_.text);
    }
  }

  static std::string ms(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f ms", seconds * 1000);
    return buf;
  }

  const Curl& api_ = curl();
  Endpoint endpoint_;
  ConnectOptions options_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::string request_;
  std::string response_;
  FrameReader theader_{Framing::Header, options_.max_message_bytes};
  BodySink sink_;
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace

std::unique_ptr<Connection> connect_http(const Endpoint& endpoint, const ConnectOptions& options) {
  return std::make_unique<HttpConnection>(endpoint, options);
}

}  // namespace thrift_call::transport
