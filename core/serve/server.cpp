#include "core/serve/server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>


#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

#include "core/openssl.h"
#include "core/serve/dispatcher.h"
#include "core/serve/http_frontend.h"
#include "core/serve/listen.h"
#include "core/serve/recorder.h"
#include "core/transport/wire_detect.h"
#include "core/transport/connection.h"
#include "core/transport/socket.h"
#include "core/transport/theader.h"
#include "idl/error.h"

namespace thrift_call::serve {

std::optional<ServeTransport> parse_serve_transport(std::string_view name) {
  if (name == "auto") return ServeTransport::Auto;
  if (name == "buffered") return ServeTransport::Buffered;
  if (name == "framed") return ServeTransport::Framed;
  if (name == "header") return ServeTransport::Header;
  if (name == "http") return ServeTransport::Http;
  return std::nullopt;
}

namespace {

using Clock = std::chrono::steady_clock;
using transport::Framing;
using transport::detect_wire;
using transport::Wire;
using transport::WireGuess;

constexpr size_t kReadChunk = 64 * 1024;
// A client that sends calls without reading the replies is not read from
// while this much waits to go out to it.
constexpr size_t kOutputHighWater = size_t{4} << 20;
constexpr std::chrono::milliseconds kSweepEvery{250};
// Buffers past this size are given back once empty, so a connection that
// once carried a large message does not keep its memory while idle.
constexpr size_t kKeepCapacity = 64 * 1024;

// The first error OpenSSL queued, for a one-line message.
std::string openssl_error() {
  std::string why = openssl().errors();
  return why.empty() ? "unknown error" : why.substr(0, why.find("; "));
}

// The server's TLS context: its certificate and key.
class TlsContext {
 public:
  TlsContext(const std::string& cert, const std::string& key) {
    ctx_ = openssl().SSL_CTX_new(openssl().TLS_server_method());
    if (!ctx_) throw Error(ErrorKind::Transport, "TLS could not start: " + openssl_error(), "--cert");
    if (openssl().SSL_CTX_use_certificate_chain_file(ctx_, cert.c_str()) != 1)
      throw Error(ErrorKind::Usage, "cannot load the certificate: " + openssl_error(), cert);
    if (openssl().SSL_CTX_use_PrivateKey_file(ctx_, key.c_str(), SSL_FILETYPE_PEM) != 1)
      throw Error(ErrorKind::Usage, "cannot load the private key: " + openssl_error(), key);
    if (openssl().SSL_CTX_check_private_key(ctx_) != 1)
      throw Error(ErrorKind::Usage, "the key does not match the certificate: " + openssl_error(), key);
    openssl().set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  }
  ~TlsContext() { openssl().SSL_CTX_free(ctx_); }
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  SSL_CTX* get() const { return ctx_; }

 private:
  SSL_CTX* ctx_ = nullptr;
};

struct Connection {
  enum class Stage { Detect, Handshake, Serve };

  int fd = -1;
  std::string peer;
  sockaddr_storage address{};
  socklen_t address_length = 0;
  SSL* ssl = nullptr;
  Stage stage = Stage::Detect;
  Framing framing = Framing::Buffered;
  codec::ProtocolKind protocol = codec::ProtocolKind::Binary;
  transport::THeaderOptions theader;  // how a THeader client is answered: its protocol, its zlib
  std::string in;                     // received, not yet handled
  std::string out;                    // to send, from out_sent on
  size_t out_sent = 0;
  std::string delayed;                // a reply waiting for its delay_ms
  Clock::time_point due{};
  bool waiting = false;               // `delayed` holds a reply; nothing else is read until it goes
  bool draining = false;              // nothing more is read; close once `out` is sent
  bool ssl_wants_write = false;
  bool over_budget = false;           // its last read would have passed the server's input budget
  Clock::time_point last_active{};
  uint32_t events = 0;                // what epoll watches now

  ~Connection() {
    if (ssl) openssl().SSL_free(ssl);
    if (fd >= 0) ::close(fd);
  }
};

const char* framing_name(Framing f) { return transport::to_string(f); }

const sigset_t& stop_signals() {
  static const sigset_t mask = [] {
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGINT);
    sigaddset(&m, SIGTERM);
    return m;
  }();
  return mask;
}

class EventLoop {
 public:
  EventLoop(const Dispatcher& dispatcher, Recorder* recorder, const ServerOptions& options)
      : dispatcher_(dispatcher),
        recorder_(recorder),
        options_(options),
        input_budget_(16 * options.max_message_bytes) {
    if (!options.tls_cert.empty()) tls_ = std::make_unique<TlsContext>(options.tls_cert, options.tls_key);
    if (options.transport == ServeTransport::Auto || options.transport == ServeTransport::Http) {
      HttpOptions http;
      http.protocol = options.protocol;
      http.max_message_bytes = options.max_message_bytes;
      http.max_connections = static_cast<unsigned>(options.max_connections);
      http.idle_timeout = std::chrono::duration_cast<std::chrono::seconds>(options.idle_timeout);
      if (http.idle_timeout.count() == 0) http.idle_timeout = std::chrono::seconds(1);
      http_ = std::make_unique<HttpFrontend>(dispatcher, recorder, http);
    }
  }

  ~EventLoop() {
    connections_.clear();
    close_listeners(listeners_);
    if (epoll_ >= 0) ::close(epoll_);
    if (signals_ >= 0) ::close(signals_);
  }

  void run(const std::function<void(const std::string&)>& listening) {
    signals_ = signalfd(-1, &stop_signals(), SFD_NONBLOCK | SFD_CLOEXEC);
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    listeners_ = listen_on(options_.listen);
    for (int fd : listeners_.fds) watch(fd, EPOLLIN);
    watch(signals_, EPOLLIN);
    listening(listeners_.address);

    std::vector<epoll_event> events(256);
    Clock::time_point stop_by{};
    while (!stopping_ || (!connections_.empty() && Clock::now() < stop_by)) {
      int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), next_timeout_ms());
      if (n < 0 && errno != EINTR) throw Error(ErrorKind::Transport, std::string("epoll: ") + std::strerror(errno));
      for (int i = 0; i < n; ++i) {
        int fd = events[static_cast<size_t>(i)].data.fd;
        uint32_t what = events[static_cast<size_t>(i)].events;
        if (fd == signals_) {
          signalfd_siginfo info;
          while (::read(signals_, &info, sizeof info) > 0) {
          }
          if (!stopping_) {
            stopping_ = true;
            stop_by = Clock::now() + options_.shutdown_grace;
            begin_shutdown();
          }
        } else if (is_listener(fd)) {
          accept_all(fd);
        } else if (auto found = connections_.find(fd); found != connections_.end()) {
          on_event(*found->second, what);
        }
      }
      run_timers();
      if (recorder_) recorder_->flush();
    }
  }

 private:
  void watch(int fd, uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  }

  bool is_listener(int fd) const {
    for (int l : listeners_.fds)
      if (l == fd) return true;
    return false;
  }

  void log(const std::string& what, const std::string& peer) {
    std::fprintf(stderr, "thrift-call: %s (%s)\n", what.c_str(), peer.c_str());
  }

  void accept_all(int listener) {
    for (;;) {
      auto c = std::make_unique<Connection>();
      c->address_length = sizeof c->address;
      int fd = accept4(listener, reinterpret_cast<sockaddr*>(&c->address), &c->address_length,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE) log("out of file descriptors: a connection waits", "accept");
        return;
      }
      c->fd = fd;
      c->peer = transport::address_text(reinterpret_cast<sockaddr*>(&c->address));
      if (connections_.size() >= options_.max_connections) {
        log("refused a connection: --max-conns " + std::to_string(options_.max_connections) + " reached", c->peer);
        continue;  // closed by ~Connection
      }
      int one = 1;
      if (c->address.ss_family != AF_UNIX) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      c->last_active = Clock::now();
      c->events = EPOLLIN;
      watch(fd, EPOLLIN);
      connections_.emplace(fd, std::move(c));
    }
  }

  void close_connection(Connection& c, const std::string& why = {}) {
    if (!why.empty()) log(why, c.peer);
    buffered_ -= c.in.size();
    epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
    if (c.waiting) timers_.erase({c.due, c.fd});
    connections_.erase(c.fd);  // destroys c
  }

  // Returns false once `c` is gone.
  bool on_event(Connection& c, uint32_t what) {
    // Both directions closed, or broken: no reply could reach the client.
    if (what & (EPOLLERR | EPOLLHUP)) {
      close_connection(c);
      return false;
    }
    if (c.stage == Connection::Stage::Detect && c.in.empty() && !c.ssl && (tls_ || http_ || options_.tls_only)) {
      if (!route_by_first_byte(c)) return false;
    }
    bool readable = (what & EPOLLIN) != 0;
    if (c.stage == Connection::Stage::Handshake) {
      if (!handshake(c)) return false;
      if (c.stage == Connection::Stage::Handshake) return true;
      readable = true;  // the first request may have come with the handshake's last bytes
    }
    if (readable && !c.draining && !c.waiting) read_from(c);
    if (c.over_budget) {
      close_connection(c, "closed a connection: the server holds " + std::to_string(buffered_) +
                              " bytes of unanswered input, its limit (16 x --max-message)");
      return false;
    }
    if (!process(c)) return false;
    return flush(c);
  }

  // TLS and HTTP connections leave the plain path before a byte is
  // consumed: OpenSSL wants the ClientHello, libmicrohttpd the request line.
  bool route_by_first_byte(Connection& c) {
    char first;
    ssize_t n = recv(c.fd, &first, 1, MSG_PEEK);
    if (n == 0) {
      close_connection(c);
      return false;
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      close_connection(c);
      return false;
    }
    WireGuess guess = detect_wire(std::string_view(&first, 1));
    if (guess.wire == Wire::Tls && tls_) {
      c.ssl = openssl().SSL_new(tls_->get());
      openssl().SSL_set_fd(c.ssl, c.fd);
      openssl().SSL_set_accept_state(c.ssl);
      c.stage = Connection::Stage::Handshake;
      return true;
    }
    if (options_.tls_only) {
      close_connection(c, "closed a connection that does not start TLS (--tls)");
      return false;
    }
    if (guess.wire == Wire::Http && http_) {
      epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
      int fd = c.fd;
      c.fd = -1;  // libmicrohttpd's now
      sockaddr_storage address = c.address;
      socklen_t length = c.address_length;
      std::string peer = c.peer;
      connections_.erase(fd);
      if (!http_->adopt(fd, reinterpret_cast<sockaddr*>(&address), length)) log("HTTP refused the connection", peer);
      return false;
    }
    return true;
  }

  bool handshake(Connection& c) {
    openssl().ERR_clear_error();
    int rc = openssl().SSL_accept(c.ssl);
    if (rc == 1) {
      c.stage = Connection::Stage::Detect;
      c.ssl_wants_write = false;
      c.last_active = Clock::now();
      return true;
    }
    int err = openssl().SSL_get_error(c.ssl, rc);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      c.ssl_wants_write = err == SSL_ERROR_WANT_WRITE;
      update_interest(c);
      return true;
    }
    close_connection(c, "TLS handshake failed: " + openssl_error());
    return false;
  }

  // >0 bytes read, 0 the peer closed, -1 nothing now, -2 an error.
  ssize_t receive(Connection& c, char* buf, size_t size) {
    if (c.ssl) {
      openssl().ERR_clear_error();
      int n = openssl().SSL_read(c.ssl, buf, static_cast<int>(size));
      if (n > 0) return n;
      int err = openssl().SSL_get_error(c.ssl, n);
      if (err == SSL_ERROR_WANT_READ) return -1;
      if (err == SSL_ERROR_WANT_WRITE) {
        c.ssl_wants_write = true;
        return -1;
      }
      return err == SSL_ERROR_ZERO_RETURN ? 0 : -2;
    }
    ssize_t n = ::recv(c.fd, buf, size, 0);
    if (n >= 0) return n;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -1 : -2;
  }

  ssize_t transmit(Connection& c, const char* buf, size_t size) {
    if (c.ssl) {
      openssl().ERR_clear_error();
      int n = openssl().SSL_write(c.ssl, buf, static_cast<int>(std::min<size_t>(size, 1 << 30)));
      if (n > 0) return n;
      int err = openssl().SSL_get_error(c.ssl, n);
      return err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ ? -1 : -2;
    }
    ssize_t n = ::send(c.fd, buf, size, MSG_NOSIGNAL);
    if (n >= 0) return n;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -1 : -2;
  }

  size_t read_limit() const { return options_.max_message_bytes + 4 + kReadChunk; }

  void read_from(Connection& c) {
    char buf[kReadChunk];
    for (;;) {
      if (c.in.size() >= read_limit()) return;  // process() decides: a message, or over the limit
      ssize_t n = receive(c, buf, sizeof buf);
      if (n > 0) {
        if (buffered_ + static_cast<size_t>(n) > input_budget_) {
          c.over_budget = true;
          return;
        }
        buffered_ += static_cast<size_t>(n);
        c.in.append(buf, static_cast<size_t>(n));
        c.last_active = Clock::now();
        continue;
      }
      if (n == -1) return;
      // Closed (or broken): answer what arrived whole, then go.
      c.draining = true;
      if (n == -2) {
        c.out.clear();
        c.out_sent = 0;
      }
      return;
    }
  }

  bool allowed(Wire wire) const {
    switch (options_.transport) {
      case ServeTransport::Auto: return true;
      case ServeTransport::Buffered: return wire == Wire::Buffered;
      case ServeTransport::Framed: return wire == Wire::Framed;
      case ServeTransport::Header: return wire == Wire::Header;
      case ServeTransport::Http: return wire == Wire::Http;
    }
    return false;
  }

  bool detect(Connection& c) {
    WireGuess guess = detect_wire(c.in);
    if (guess.wire == Wire::NeedMore) return true;
    bool known = guess.wire == Wire::Buffered || guess.wire == Wire::Framed || guess.wire == Wire::Header;
    bool protocol_ok = guess.wire == Wire::Header || !options_.protocol || *options_.protocol == guess.protocol;
    if (!known || !allowed(guess.wire) || !protocol_ok) {
      std::string what = guess.wire == Wire::Http && c.ssl ? "HTTP inside TLS, which serve does not read"
                         : guess.wire == Wire::Http  ? "HTTP, which --transport does not allow"
                         : guess.wire == Wire::Tls   ? "TLS, but serve has no certificate (--cert, --key)"
                         : !known                   ? "bytes that are no Thrift protocol"
                         : !allowed(guess.wire)     ? "another transport than --transport allows"
                                                    : "another protocol than --protocol allows";
      close_connection(c, "closed a connection that sent " + what);
      return false;
    }
    c.framing = guess.wire == Wire::Buffered ? Framing::Buffered : guess.wire == Wire::Framed ? Framing::Framed
                                                                                               : Framing::Header;
    c.protocol = guess.protocol;
    c.stage = Connection::Stage::Serve;
    return true;
  }

  // Answers every whole message in `c.in`. False once `c` is gone.
  bool process(Connection& c) {
    while (!c.waiting && c.out.size() - c.out_sent < kOutputHighWater) {
      if (c.stage == Connection::Stage::Detect) {
        if (!detect(c)) return false;
        if (c.stage != Connection::Stage::Serve) break;
      }
      std::string_view message = c.in;
      std::string header_payload;
      size_t frame_size = 0;
      if (c.framing != Framing::Buffered) {
        if (c.in.size() < 4) break;
        uint32_t length = transport::frame_length(c.in);
        if (length == 0 || length > options_.max_message_bytes) {
          close_connection(c, "closed a connection that sent a frame of " + std::to_string(length) +
                                  " bytes (limit " + std::to_string(options_.max_message_bytes) + ")");
          return false;
        }
        if (c.in.size() < 4 + size_t{length}) break;
        frame_size = 4 + size_t{length};
        message = std::string_view(c.in).substr(4, length);
        if (c.framing == Framing::Header) {
          try {
            transport::THeaderReply header = transport::parse_theader(message, options_.max_message_bytes);
            if (header.protocol != 0 && header.protocol != 2) {
              close_connection(c, "closed a THeader connection with protocol id " + std::to_string(header.protocol) +
                                      " (binary 0 and compact 2 are served)");
              return false;
            }
            c.protocol = header.protocol == 2 ? codec::ProtocolKind::Compact : codec::ProtocolKind::Binary;
            c.theader.protocol = header.protocol == 2 ? transport::THeaderProtocol::Compact
                                                      : transport::THeaderProtocol::Binary;
            c.theader.zlib = header.zlib;
            header_payload = std::move(header.payload);
            message = header_payload;
          } catch (const Error& e) {
            close_connection(c, "closed a connection that sent a bad THeader frame: " + e.diagnostic());
            return false;
          }
        }
      }
      if (message.empty()) {
        if (c.framing == Framing::Buffered) break;
        close_connection(c, "closed a connection that sent a THeader frame without a message");
        return false;
      }

      Exchange exchange;
      try {
        exchange = dispatcher_.handle(c.protocol, message, {c.peer, framing_name(c.framing)});
      } catch (const protocol::InputEnded& e) {
        // Unframed, the end of a message is found by decoding it: a message
        // that arrives in pieces is decoded again from its start as each
        // piece comes (as the client's own stream reader does), which costs
        // little for the messages of a call and is bounded by the limit.
        if (c.framing == Framing::Buffered) {
          if (c.in.size() > options_.max_message_bytes) {
            close_connection(c, "closed a connection whose message is over the limit of " +
                                    std::to_string(options_.max_message_bytes) + " bytes");
            return false;
          }
          break;  // read on
        }
        close_connection(c, "closed a connection whose frame ends inside the message: " + e.diagnostic());
        return false;
      } catch (const Error& e) {
        close_connection(c, "closed a connection that sent an unreadable message: " + e.diagnostic());
        return false;
      }
      size_t used = c.framing == Framing::Buffered ? exchange.consumed : frame_size;
      c.in.erase(0, used);
      buffered_ -= used;
      if (c.in.empty() && c.in.capacity() > kKeepCapacity) std::string().swap(c.in);
      if (recorder_ && !exchange.record.empty()) recorder_->write(exchange.record);
      if (!exchange.reply.empty()) {
        std::string bytes = c.framing == Framing::Buffered
                                ? std::move(exchange.reply)
                                : transport::frame_message(exchange.reply, c.framing, c.theader);
        if (exchange.delay.count() > 0) {
          c.waiting = true;
          c.delayed = std::move(bytes);
          c.due = Clock::now() + exchange.delay;
          timers_.insert({c.due, c.fd});
        } else {
          c.out += bytes;
        }
      }
      if (exchange.close) {
        c.draining = true;
        break;
      }
    }
    if (c.in.size() >= read_limit() && c.framing == Framing::Buffered && !c.waiting) {
      close_connection(c, "closed a connection whose message is over the limit of " +
                              std::to_string(options_.max_message_bytes) + " bytes");
      return false;
    }
    return true;
  }

  // Sends what it can of `c.out`. False once `c` is gone.
  bool flush(Connection& c) {
    c.ssl_wants_write = false;
    while (c.out_sent < c.out.size()) {
      ssize_t n = transmit(c, c.out.data() + c.out_sent, c.out.size() - c.out_sent);
      if (n == -1) break;
      if (n < 0) {
        close_connection(c);
        return false;
      }
      c.out_sent += static_cast<size_t>(n);
      c.last_active = Clock::now();
    }
    if (c.out_sent == c.out.size()) {
      c.out.clear();
      c.out_sent = 0;
      if (c.out.capacity() > kKeepCapacity) std::string().swap(c.out);
      if (c.draining && !c.waiting) {
        close_connection(c);
        return false;
      }
      // Paused for a full output buffer: there may be more to answer.
      if (!c.in.empty() && !c.waiting && c.stage == Connection::Stage::Serve) {
        size_t before = c.in.size();
        if (!process(c)) return false;
        if (c.in.size() != before && !c.out.empty()) return flush(c);
      }
    }
    update_interest(c);
    return true;
  }

  void update_interest(Connection& c) {
    uint32_t want = 0;
    bool paused = c.draining || c.waiting || c.out.size() - c.out_sent >= kOutputHighWater;
    if (!paused || c.stage == Connection::Stage::Handshake) want |= EPOLLIN;
    if (c.out_sent < c.out.size() || c.ssl_wants_write) want |= EPOLLOUT;
    if (want == c.events) return;
    epoll_event ev{};
    ev.events = want;
    ev.data.fd = c.fd;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
    c.events = want;
  }

  int next_timeout_ms() const {
    auto wait = kSweepEvery;
    if (!timers_.empty()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(timers_.begin()->first - Clock::now());
      wait = std::min(wait, std::max(left + std::chrono::milliseconds(1), std::chrono::milliseconds(0)));
    }
    return static_cast<int>(wait.count());
  }

  void run_timers() {
    auto now = Clock::now();
    while (!timers_.empty() && timers_.begin()->first <= now) {
      int fd = timers_.begin()->second;
      timers_.erase(timers_.begin());
      auto found = connections_.find(fd);
      if (found == connections_.end()) continue;
      Connection& c = *found->second;
      c.waiting = false;
      c.out += c.delayed;
      c.delayed.clear();
      if (!process(c)) continue;
      flush(c);
    }
    if (now - last_sweep_ < kSweepEvery) return;
    last_sweep_ = now;
    std::vector<int> idle;
    for (const auto& [fd, c] : connections_) {
      bool busy = c->waiting || c->out_sent < c->out.size();
      if (!busy && now - c->last_active > options_.idle_timeout) idle.push_back(fd);
    }
    for (int fd : idle) close_connection(*connections_.at(fd), stopping_ ? "" : "closed an idle connection");
  }

  void begin_shutdown() {
    // Clients whose connect completed before the signal are served like the others.
    for (int fd : listeners_.fds) accept_all(fd);
    for (int fd : listeners_.fds) epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
    close_listeners(listeners_);
    std::vector<int> all;
    for (const auto& [fd, c] : connections_) all.push_back(fd);
    for (int fd : all) {
      Connection& c = *connections_.at(fd);
      // A call already in the socket's buffer was sent before the signal:
      // it is answered too.
      if (!c.draining && !c.waiting && !on_event(c, EPOLLIN)) continue;
      c.draining = true;
      if (!c.waiting && c.out_sent == c.out.size()) close_connection(c);
      else update_interest(c);
    }
  }

  const Dispatcher& dispatcher_;
  Recorder* recorder_;
  ServerOptions options_;
  std::unique_ptr<TlsContext> tls_;
  std::unique_ptr<HttpFrontend> http_;
  Listeners listeners_;
  int epoll_ = -1;
  int signals_ = -1;
  bool stopping_ = false;
  // Bytes received and not yet answered, over all connections, and their
  // ceiling: what bounds memory whatever --max-conns x --max-message is.
  size_t input_budget_;
  size_t buffered_ = 0;
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
  std::set<std::pair<Clock::time_point, int>> timers_;  // delayed replies: when, which connection
  Clock::time_point last_sweep_ = Clock::now();
};

}  // namespace

void run_server(const Dispatcher& dispatcher, Recorder* recorder, const ServerOptions& options,
                const std::function<void(const std::string&)>& listening) {
  signal(SIGPIPE, SIG_IGN);  // OpenSSL writes with write(), not send(MSG_NOSIGNAL)
  // A shell starts background jobs with SIGINT ignored; serve still stops on it.
  signal(SIGINT, SIG_DFL);
  // Blocked before libmicrohttpd starts its threads, so that they inherit
  // the mask and every stop signal reaches the loop's signalfd.
  pthread_sigmask(SIG_BLOCK, &stop_signals(), nullptr);
  EventLoop loop(dispatcher, recorder, options);
  loop.run(listening);
}

}  // namespace thrift_call::serve
