#include "core/serve/server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
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

#include "base/error.h"
#include "core/platform/openssl.h"
#include "core/serve/dispatcher.h"
#include "core/serve/http_frontend.h"
#include "core/serve/listen.h"
#include "core/serve/log_throttle.h"
#include "core/serve/recorder.h"
#include "core/transport/connection.h"
#include "core/transport/framing.h"
#include "core/transport/input_buffer.h"
#include "core/transport/socket.h"
#include "core/transport/theader.h"
#include "core/transport/wire_detect.h"
#include "core/transport/zlib_stream.h"

namespace thrift_call::serve {

std::optional<ServeTransport> parse_serve_transport(std::string_view name) {
  if (name == "auto") return ServeTransport::Auto;
  if (name == "buffered") return ServeTransport::Buffered;
  if (name == "framed") return ServeTransport::Framed;
  if (name == "header") return ServeTransport::Header;
  if (name == "http") return ServeTransport::Http;
  if (name == "zlib") return ServeTransport::Zlib;
  return std::nullopt;
}

namespace {

using Clock = std::chrono::steady_clock;
using transport::Framing;
using transport::detect_wire;
using transport::Wire;
using transport::WireGuess;

constexpr size_t kReadChunk = 64 * 1024;
// What one connection gets per turn of the loop before the others have
// theirs: messages answered, bytes read.
constexpr size_t kMessagesPerTurn = 256;
constexpr size_t kReadPerTurn = 16 * kReadChunk;
// Descriptors kept free of connections: listeners, epoll, the signalfd,
// the recorder, libmicrohttpd's own.
constexpr size_t kReservedDescriptors = 32;
// At --max-conns, a new client takes the place of the connection idle the
// longest, when it has been idle this long: idle sockets cannot lock
// everyone out.
constexpr std::chrono::seconds kEvictIdleAfter{1};
// Out of descriptors: new connections wait in the backlog this long
// before accept is tried again, instead of a busy loop.
constexpr std::chrono::milliseconds kAcceptBackoff{100};
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
  // Relay: HTTP inside TLS, carried between the client and libmicrohttpd.
  enum class Stage { Detect, Handshake, Serve, Relay };

  int fd = -1;
  std::string peer;
  sockaddr_storage address{};
  socklen_t address_length = 0;
  SSL* ssl = nullptr;
  Stage stage = Stage::Detect;
  Framing framing = Framing::Buffered;
  codec::ProtocolKind protocol = codec::ProtocolKind::Binary;
  transport::THeaderOptions theader;  // how a THeader client is answered: its protocol, its zlib
  transport::InputBuffer in;          // received (inflated, under zlib), not yet handled
  // A TZlibTransport client's two streams (framing Zlib).
  std::unique_ptr<transport::ZlibReader> zlib_in;
  std::unique_ptr<transport::ZlibWriter> zlib_out;
  std::string zlib_error;                        // why its stream does not inflate: closed after the read
  std::optional<transport::FrameReader> frames;  // once the framing is known
  std::string out;                    // to send, from out_sent on
  size_t out_sent = 0;
  std::string delayed;                // a reply waiting for its delay_ms
  Clock::time_point due{};
  bool waiting = false;               // `delayed` holds a reply; nothing else is read until it goes
  bool draining = false;              // nothing more is read; close once `out` is sent
  bool ssl_wants_write = false;
  bool over_budget = false;           // its last read would have passed the server's input budget
  bool in_ready = false;              // waits in ready_ for its next turn
  bool output_full = false;           // whole calls wait for its replies to drain
  Clock::time_point last_active{};
  uint32_t events = 0;                // what epoll watches now
  // Stage Relay: our end of the socket pair whose other end libmicrohttpd
  // reads. `in` holds what goes to it, `out` what came back.
  int relay_fd = -1;
  uint32_t relay_events = 0;      // 0: not in epoll at all
  bool relay_write_shut = false;  // libmicrohttpd was told the client is done sending
  // libmicrohttpd refused the body (a 413): what the client still sends is
  // read and dropped, up to a bound, so that its sending does not fail (a
  // reset) before it reads the answer.
  bool discard_input = false;
  size_t discarded = 0;

  ~Connection() {
    if (ssl) openssl().SSL_free(ssl);
    if (fd >= 0) ::close(fd);
    if (relay_fd >= 0) ::close(relay_fd);
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
    fit_connections_to_descriptors();
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
        } else if (auto relay = relays_.find(fd); relay != relays_.end()) {
          on_relay_event(*connections_.at(relay->second), what);
        }
      }
      run_timers();
      run_ready();
      if (recorder_) recorder_->flush();
    }
    log_.report_dropped();
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

  void log(const std::string& what, const std::string& peer) { log_.line(what + " (" + peer + ")"); }

  // Raises the soft limit on open files to the hard one, and keeps
  // --max-conns under it, so that accept never runs out first.
  void fit_connections_to_descriptors() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    if (limit.rlim_cur < limit.rlim_max) {
      rlimit raised = limit;
      raised.rlim_cur = limit.rlim_max;
      if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur <= kReservedDescriptors) return;
    // An HTTPS connection holds three: the client's and both ends of its
    // relay to libmicrohttpd.
    bool relays = !options_.tls_cert.empty() &&
                  (options_.transport == ServeTransport::Auto || options_.transport == ServeTransport::Http);
    size_t fit = (static_cast<size_t>(limit.rlim_cur) - kReservedDescriptors) / (relays ? 3 : 1);
    if (options_.max_connections > fit) {
      std::fprintf(stderr, "thrift-call: --max-conns lowered from %zu to %zu: the open-file limit is %llu\n",
                   options_.max_connections, fit, static_cast<unsigned long long>(limit.rlim_cur));
      options_.max_connections = fit;
    }
  }

  void accept_all(int listener) {
    if (accept_paused_) return;
    for (;;) {
      auto c = std::make_unique<Connection>();
      c->address_length = sizeof c->address;
      int fd = accept4(listener, reinterpret_cast<sockaddr*>(&c->address), &c->address_length,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE) {
          // Closing an idle connection frees a descriptor at once; else the
          // listeners rest a while (level-triggered, they would spin).
          if (evict_idle_connection("out of file descriptors")) continue;
          pause_accepting();
        }
        return;
      }
      c->fd = fd;
      c->peer = transport::address_text(reinterpret_cast<sockaddr*>(&c->address));
      if (connections_.size() >= options_.max_connections &&
          !evict_idle_connection("--max-conns " + std::to_string(options_.max_connections) + " reached")) {
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

  // Closes the connection idle the longest, if one has been idle for
  // kEvictIdleAfter, to make room for a new client.
  bool evict_idle_connection(const std::string& why) {
    auto now = Clock::now();
    Connection* oldest = nullptr;
    for (const auto& [fd, c] : connections_) {
      // A relay's other end has libmicrohttpd's own timeout: it ends the relay.
      bool busy = c->waiting || c->out_sent < c->out.size() || !c->in.empty() ||
                  c->stage == Connection::Stage::Handshake || c->relay_fd >= 0;
      if (busy || now - c->last_active < kEvictIdleAfter) continue;
      if (!oldest || c->last_active < oldest->last_active) oldest = c.get();
    }
    if (!oldest) return false;
    close_connection(*oldest, "closed the connection idle the longest for a new client: " + why);
    return true;
  }

  void pause_accepting() {
    log("out of file descriptors: new connections wait " + std::to_string(kAcceptBackoff.count()) +
            " ms in the backlog (" + std::to_string(connections_.size()) + " open)",
        "accept");
    for (int fd : listeners_.fds) {
      epoll_event ev{};
      ev.data.fd = fd;
      epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &ev);
    }
    accept_paused_ = true;
    accept_again_at_ = Clock::now() + kAcceptBackoff;
  }

  void resume_accepting() {
    accept_paused_ = false;
    for (int fd : listeners_.fds) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.fd = fd;
      epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &ev);
    }
  }

  // The connections whose turn ended with work left: one more turn each.
  void run_ready() {
    std::vector<int> turn;
    turn.swap(ready_);
    for (int fd : turn) {
      auto found = connections_.find(fd);
      if (found == connections_.end()) continue;
      Connection& c = *found->second;
      c.in_ready = false;
      // Reads on only if epoll would have (not while its replies pile up).
      on_event(c, c.events & EPOLLIN);
    }
  }

  void give_another_turn(Connection& c) {
    if (c.in_ready) return;
    c.in_ready = true;
    ready_.push_back(c.fd);
  }

  void close_connection(Connection& c, const std::string& why = {}) {
    if (!why.empty()) log(why, c.peer);
    buffered_ -= c.in.size();
    epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
    if (c.relay_fd >= 0) end_relay(c);
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
    if (!c.zlib_error.empty()) {
      close_connection(c, c.zlib_error);
      return false;
    }
    if (c.over_budget) {
      close_connection(c, "closed a connection: the server holds " + std::to_string(buffered_) +
                              " bytes of unanswered input, its limit (16 x --max-message)");
      return false;
    }
    if (c.stage != Connection::Stage::Relay && !process(c)) return false;
    if (c.stage == Connection::Stage::Relay) relay_to_http(c);
    return flush(c);
  }

  // HTTP inside TLS. libmicrohttpd reads only plain sockets, and the TLS is
  // ours (OpenSSL, already past the handshake), so it gets one end of a
  // socket pair and the loop carries the bytes between the other end and
  // the client. False once `c` is gone.
  bool start_relay(Connection& c) {
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
      close_connection(c, std::string("closed an HTTPS connection: socketpair: ") + std::strerror(errno));
      return false;
    }
    if (!http_->adopt(pair[1], reinterpret_cast<sockaddr*>(&c.address), c.address_length)) {
      ::close(pair[0]);
      close_connection(c, "HTTP refused the connection");
      return false;
    }
    c.relay_fd = pair[0];
    c.stage = Connection::Stage::Relay;
    relays_.emplace(c.relay_fd, c.fd);
    c.relay_events = EPOLLIN;
    watch(c.relay_fd, c.relay_events);
    return true;
  }

  // libmicrohttpd closed its end: what it answered still goes out, then the
  // client's connection closes too.
  void end_relay(Connection& c) {
    epoll_ctl(epoll_, EPOLL_CTL_DEL, c.relay_fd, nullptr);
    relays_.erase(c.relay_fd);
    ::close(c.relay_fd);
    c.relay_fd = -1;
    // A refused body's sender is read to its end (or the bound) first.
    if (!c.discard_input) c.draining = true;
  }

  // Passes on what the client sent; once the client has closed its side
  // (draining) and all of it is passed on, libmicrohttpd is told so, and
  // the connection lasts until it has answered and closed its end.
  void relay_to_http(Connection& c) {
    bool was_full = c.in.size() >= read_limit();
    if (c.discard_input) {
      c.discarded += c.in.size();
      buffered_ -= c.in.size();
      c.in.clear();
      if (c.discarded > 4 * read_limit()) c.draining = true;
    }
    while (!c.in.empty() && c.relay_fd >= 0) {
      ssize_t n = ::send(c.relay_fd, c.in.view().data(), c.in.size(), MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
      if (n < 0) {
        // libmicrohttpd stopped reading (a 413 for a body over the limit):
        // the rest is dropped, and what it answered still goes out.
        buffered_ -= c.in.size();
        c.in.clear();
        c.discard_input = true;
        break;
      }
      c.in.consume(static_cast<size_t>(n));
      buffered_ -= static_cast<size_t>(n);
    }
    c.in.release_if_empty(kKeepCapacity);
    if (c.draining && c.in.empty() && !c.relay_write_shut && c.relay_fd >= 0) {
      ::shutdown(c.relay_fd, SHUT_WR);
      c.relay_write_shut = true;
    }
    // Reading stopped at the limit: what OpenSSL holds is not seen by epoll.
    if (was_full && c.in.size() < read_limit()) give_another_turn(c);
  }

  // Takes what libmicrohttpd answered, up to the output mark.
  void relay_from_http(Connection& c) {
    char buf[kReadChunk];
    while (c.relay_fd >= 0 && c.out.size() - c.out_sent < kOutputHighWater) {
      ssize_t n = ::recv(c.relay_fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.out.append(buf, static_cast<size_t>(n));
        c.last_active = Clock::now();
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
      end_relay(c);
    }
  }

  void on_relay_event(Connection& c, uint32_t what) {
    // Its answer first: an error writing to it may follow from that answer.
    if (what & (EPOLLIN | EPOLLHUP | EPOLLERR)) relay_from_http(c);
    if (what & EPOLLOUT) relay_to_http(c);
    flush(c);
  }

  void update_relay_interest(Connection& c) {
    uint32_t want = 0;
    if (c.out.size() - c.out_sent < kOutputHighWater) want |= EPOLLIN;
    if (!c.in.empty() && !c.relay_write_shut) want |= EPOLLOUT;
    if (want == c.relay_events) return;
    // Watched for nothing, it leaves epoll: a closed end is reported
    // (EPOLLHUP) whatever the mask, and would spin the loop while the
    // client is slow to read what came before.
    if (want == 0) {
      epoll_ctl(epoll_, EPOLL_CTL_DEL, c.relay_fd, nullptr);
      c.relay_events = 0;
    } else if (c.relay_events == 0) {
      watch(c.relay_fd, want);
      c.relay_events = want;
    } else {
      set_interest(c.relay_fd, c.relay_events, want);
    }
  }

  // What epoll watches on `fd`, `watched` kept in step.
  void set_interest(int fd, uint32_t& watched, uint32_t want) {
    if (want == watched) return;
    epoll_event ev{};
    ev.events = want;
    ev.data.fd = fd;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &ev);
    watched = want;
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

  // Inflates what a zlib client sent, as far as the input limit allows; the
  // rest waits in the reader for room (another turn). False when the stream
  // does not inflate (c.zlib_error says why; the caller closes `c`).
  bool inflate_input(Connection& c) {
    size_t room = c.in.size() < read_limit() ? read_limit() - c.in.size() : 0;
    size_t added;
    try {
      added = c.zlib_in->inflate_into(c.in.back(), room);
    } catch (const Error& e) {
      c.zlib_error = "closed a connection whose zlib stream does not inflate: " + e.diagnostic();
      return false;
    }
    buffered_ += added;
    if (buffered_ > input_budget_) c.over_budget = true;
    if (c.zlib_in->has_pending()) give_another_turn(c);
    return true;
  }

  void read_from(Connection& c) {
    if (c.zlib_in && c.zlib_in->has_pending() && !inflate_input(c)) return;
    char buf[kReadChunk];
    for (size_t read = 0;;) {
      if (c.in.size() >= read_limit()) return;  // process() decides: a message, or over the limit
      if (read >= kReadPerTurn) {
        // More may wait, in the socket or inside OpenSSL, where epoll
        // does not see it.
        give_another_turn(c);
        return;
      }
      ssize_t n = receive(c, buf, sizeof buf);
      if (n > 0) {
        if (buffered_ + static_cast<size_t>(n) > input_budget_) {
          c.over_budget = true;
          return;
        }
        read += static_cast<size_t>(n);
        c.last_active = Clock::now();
        if (c.zlib_in) {
          c.zlib_in->feed(std::string_view(buf, static_cast<size_t>(n)));
          if (!inflate_input(c)) return;
          continue;
        }
        buffered_ += static_cast<size_t>(n);
        c.in.append(std::string_view(buf, static_cast<size_t>(n)));
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
      case ServeTransport::Framed:
        return wire == Wire::Framed || wire == Wire::FramedHeader;
      case ServeTransport::Header:
        return wire == Wire::Header || wire == Wire::FramedHeader;
      case ServeTransport::Http: return wire == Wire::Http;
      case ServeTransport::Zlib:
        return wire == Wire::Zlib;
    }
    return false;
  }

  bool detect(Connection& c) {
    WireGuess guess = detect_wire(c.in.view());
    if (guess.wire == Wire::NeedMore) return true;
    bool theader = guess.wire == Wire::Header || guess.wire == Wire::FramedHeader;
    bool zlib = guess.wire == Wire::Zlib;
    if (guess.wire == Wire::Http && c.ssl && http_ && allowed(Wire::Http)) return start_relay(c);
    bool known = guess.wire == Wire::Buffered || guess.wire == Wire::Framed || theader || zlib;
    // Under zlib each message says its protocol, as it is inflated.
    bool protocol_ok = theader || zlib || !options_.protocol || *options_.protocol == guess.protocol;
    if (!known || !allowed(guess.wire) || !protocol_ok) {
      std::string what = guess.wire == Wire::Http  ? "HTTP, which --transport does not allow"
                         : guess.wire == Wire::Tls ? "TLS, but serve has no certificate (--cert, --key)"
                         : !known                  ? "bytes that are no Thrift protocol"
                         : !allowed(guess.wire)    ? "another transport than --transport allows"
                                                   : "another protocol than --protocol allows";
      close_connection(c, "closed a connection that sent " + what);
      return false;
    }
    c.framing = guess.wire == Wire::Buffered       ? Framing::Buffered
                : guess.wire == Wire::Framed       ? Framing::Framed
                : guess.wire == Wire::FramedHeader ? Framing::FramedHeader
                : zlib                             ? Framing::Zlib
                                                   : Framing::Header;
    c.protocol = guess.protocol;
    c.frames.emplace(c.framing, options_.max_message_bytes,
                     theader ? std::nullopt
                     : zlib  ? options_.protocol
                             : std::optional(c.protocol));
    if (zlib) {
      // What arrived so far was compressed: from now on c.in holds it inflated.
      c.zlib_in = std::make_unique<transport::ZlibReader>();
      c.zlib_out = std::make_unique<transport::ZlibWriter>();
      c.zlib_in->feed(c.in.view());
      buffered_ -= c.in.size();
      c.in.clear();
      if (!inflate_input(c)) {
        close_connection(c, c.zlib_error);
        return false;
      }
    }
    c.stage = Connection::Stage::Serve;
    return true;
  }

  // Answers the whole messages in `c.in`, at most kMessagesPerTurn of them:
  // a connection with more waits in ready_ for the next turn, after the
  // others had theirs. False once `c` is gone.
  bool process(Connection& c) {
    c.output_full = false;
    for (size_t handled = 0; !c.waiting; ++handled) {
      if (c.out.size() - c.out_sent >= kOutputHighWater) {
        c.output_full = !c.in.empty();
        break;
      }
      if (c.stage == Connection::Stage::Detect) {
        if (!detect(c)) return false;
        if (c.stage != Connection::Stage::Serve) break;
      }
      if (handled == kMessagesPerTurn) {
        if (!c.in.empty()) give_another_turn(c);
        break;
      }
      transport::FrameStatus status = c.frames->next(c.in.view());
      if (status == transport::FrameStatus::NeedMore) break;
      if (status == transport::FrameStatus::Implausible) {
        close_connection(c, "closed a connection that sent " + std::string(framing_name(c.framing)) + " input it cannot be: " +
                                c.frames->why());
        return false;
      }
      const transport::Frame& frame = c.frames->frame();
      // Each frame says whether it holds a THeader frame; the reply goes out alike.
      if (c.framing == Framing::Framed || c.framing == Framing::FramedHeader)
        c.framing = frame.header ? Framing::FramedHeader : Framing::Framed;
      bool theader_frame = frame.header != nullptr;
      if (theader_frame) {
        // A THeader client is answered in kind: its protocol, its zlib.
        c.protocol = frame.protocol;
        c.theader.protocol = frame.protocol;
        c.theader.zlib = frame.header->zlib;
      }
      if (frame.message.empty()) {
        close_connection(c, "closed a connection that sent a THeader frame without a message");
        return false;
      }

      Exchange exchange;
      try {
        exchange = dispatcher_.handle(frame.protocol, frame.message, {c.peer, framing_name(c.framing)});
      } catch (const protocol::InputEnded& e) {
        close_connection(c, "closed a connection whose message ends early: " + e.diagnostic());
        return false;
      } catch (const Error& e) {
        close_connection(c, "closed a connection that sent an unreadable message: " + e.diagnostic());
        return false;
      }
      c.in.consume(frame.size);
      buffered_ -= frame.size;
      c.in.release_if_empty(kKeepCapacity);
      if (recorder_ && !exchange.record.empty()) recorder_->write(exchange.record);
      if (!exchange.reply.empty()) {
        std::string bytes;
        if (c.zlib_out) {
          // THeader frames in a zlib stream: the reply is one too.
          c.zlib_out->write(
              theader_frame ? transport::frame_message(exchange.reply, Framing::Header, c.theader) : exchange.reply,
              bytes);
        } else if (c.framing == Framing::Buffered) {
          bytes = std::move(exchange.reply);
        } else {
          bytes = transport::frame_message(exchange.reply, c.framing, c.theader);
        }
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
    } else if (c.out_sent >= c.out.size() - c.out_sent) {
      // More sent than left: moving the rest down costs less than what was sent.
      c.out.erase(0, c.out_sent);
      c.out_sent = 0;
    }
    // Paused for replies the client had not read: below half the mark,
    // answering resumes (not only once all is sent, which would idle both).
    if (c.output_full && c.out.size() - c.out_sent < kOutputHighWater / 2) {
      c.output_full = false;
      give_another_turn(c);
    }
    // in_ready: whole calls still to answer; a relay: libmicrohttpd's answer still to come.
    if (c.draining && !c.waiting && !c.in_ready && c.out.empty() && c.relay_fd < 0) {
      close_connection(c);
      return false;
    }
    update_interest(c);
    return true;
  }

  void update_interest(Connection& c) {
    uint32_t want = 0;
    bool paused = c.draining || c.waiting || c.out.size() - c.out_sent >= kOutputHighWater ||
                  (c.stage == Connection::Stage::Relay && c.in.size() >= read_limit());
    if (!paused || c.stage == Connection::Stage::Handshake) want |= EPOLLIN;
    if (c.out_sent < c.out.size() || c.ssl_wants_write) want |= EPOLLOUT;
    if (c.relay_fd >= 0) update_relay_interest(c);
    set_interest(c.fd, c.events, want);
  }

  int next_timeout_ms() const {
    if (!ready_.empty()) return 0;
    auto wait = kSweepEvery;
    if (accept_paused_)
      wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(accept_again_at_ - Clock::now()) +
                                std::chrono::milliseconds(1));
    if (wait.count() < 0) wait = std::chrono::milliseconds(0);
    if (!timers_.empty()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(timers_.begin()->first - Clock::now());
      wait = std::min(wait, std::max(left + std::chrono::milliseconds(1), std::chrono::milliseconds(0)));
    }
    return static_cast<int>(wait.count());
  }

  void run_timers() {
    auto now = Clock::now();
    if (accept_paused_ && now >= accept_again_at_ && !stopping_) resume_accepting();
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
      bool busy = c->waiting || c->out_sent < c->out.size() || c->relay_fd >= 0;
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
      if (c.relay_fd >= 0) {
        relay_to_http(c);  // libmicrohttpd is told: it answers what it holds, then closes its end
        update_interest(c);
      } else if (!c.waiting && c.out_sent == c.out.size()) {
        close_connection(c);
      } else {
        update_interest(c);
      }
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
  std::unordered_map<int, int> relays_;                 // a relay socket: its connection's fd
  std::set<std::pair<Clock::time_point, int>> timers_;  // delayed replies: when, which connection
  std::vector<int> ready_;  // connections with whole messages left after their turn
  bool accept_paused_ = false;
  Clock::time_point accept_again_at_{};
  LogThrottle log_;
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
