#include "core/serve/listen.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"

namespace thrift_call::serve {

namespace {

constexpr int kBacklog = 1024;

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

[[noreturn]] void cannot_listen(const std::string& spec, int error) {
  std::string why = error == EADDRINUSE ? "the address is in use (another server runs there?)" : std::strerror(error);
  throw Error(ErrorKind::Transport, "cannot listen: " + why, spec);
}

Listeners listen_unix(const std::string& spec, const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path)
    throw Error(ErrorKind::Usage, "a Unix socket path of 1 to " + std::to_string(sizeof addr.sun_path - 1) + " bytes",
                spec);
  std::memcpy(addr.sun_path, path.data(), path.size());
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) cannot_listen(spec, errno);
  struct stat st {};
  if (lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
    // A socket file nobody accepts on is what a killed server leaves behind.
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool alive = connect(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(probe);
    if (!alive) unlink(path.c_str());
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, kBacklog) != 0) {
    int error = errno;
    close(fd);
    cannot_listen(spec, error);
  }
  set_nonblocking(fd);
  return {{fd}, path, path};
}

}  // namespace

Listeners listen_on(const std::string& spec) {
  if (spec.rfind("unix:", 0) == 0) return listen_unix(spec, spec.substr(5));
  // [HOST:]PORT, HOST possibly [bracketed]; port 0 is allowed here, unlike
  // in a call's ENDPOINT.
  std::string host = "localhost";
  std::string port_text = spec;
  size_t colon = spec.rfind(':');
  if (colon != std::string::npos) {
    host = spec.substr(0, colon);
    port_text = spec.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  }
  if (host.empty() || port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos || std::stoul(port_text) > 65535)
    throw Error(ErrorKind::Usage, "--listen takes [HOST:]PORT (PORT 0 to 65535) or unix:/path", spec);

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(host.c_str(), port_text.c_str(), &hints, &found);
  if (rc != 0) throw Error(ErrorKind::Transport, std::string("cannot resolve: ") + gai_strerror(rc), spec);

  Listeners out;
  int first_error = 0;
  uint16_t port = 0;
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ai->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    // Port 0: every address gets the port the first one was given.
    if (port != 0) {
      if (ai->ai_family == AF_INET) reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_port = htons(port);
      if (ai->ai_family == AF_INET6) reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_port = htons(port);
    }
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, kBacklog) != 0) {
      int error = errno;
      if (!first_error) first_error = error;
      close(fd);
      // Another address family being unusable here is fine; the port being
      // taken is not.
      if (error == EADDRINUSE) {
        first_error = error;
        break;
      }
      continue;
    }
    if (port == 0) {
      sockaddr_storage bound{};
      socklen_t len = sizeof bound;
      getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
      port = ntohs(bound.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                              : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
    }
    set_nonblocking(fd);
    out.fds.push_back(fd);
  }
  freeaddrinfo(found);
  if (first_error == EADDRINUSE || out.fds.empty()) {
    close_listeners(out);
    cannot_listen(spec, first_error ? first_error : EADDRNOTAVAIL);
  }
  out.address = std::to_string(port);
  return out;
}

void close_listeners(Listeners& listeners) {
  for (int fd : listeners.fds) close(fd);
  listeners.fds.clear();
  if (!listeners.unix_path.empty()) unlink(listeners.unix_path.c_str());
  listeners.unix_path.clear();
}

}  // namespace thrift_call::serve
