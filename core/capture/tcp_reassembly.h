// From link-layer frames to the two byte streams of each TCP connection.
//
// Frames: Ethernet (and 802.1Q), Linux cooked (SLL, SLL2), BSD loopback
// (null, loop), raw IPv4/IPv6; IPv4 (not fragmented) and IPv6, then TCP.
// Each connection's two directions are put back in sequence order:
// out-of-order segments wait (bounded per direction), retransmitted and
// overlapping bytes are delivered once, and a hole that never fills is
// reported as a gap with its size, never guessed. A connection ends once
// both sides sent FIN and the data before each FIN is in, on RST, when idle
// for 10 minutes of capture time, when too many are open, or at the end of
// the capture.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/capture/pcap_source.h"

namespace thrift_call::capture {

enum class Side : uint8_t { Client, Server };

// What a connection's owner (the stream decoders) is told.
class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;
  // Bytes in order, from `from`.
  virtual void data(Side from, std::string_view bytes, int64_t time_us) = 0;
  // `missing` bytes from `from` were never captured; what follows is `data`.
  virtual void gap(Side from, uint64_t missing, int64_t time_us) = 0;
  // The connection is over: no more calls.
  virtual void closed(int64_t time_us) = 0;
};

struct ConnectionInfo {
  uint64_t id = 0;
  std::string name;  // "127.0.0.1:50312 > 127.0.0.1:9090", client first
  std::string quoted_name;  // `name` as a JSON string, made once (output writes it on every line)
};

struct ReassemblyOptions {
  uint16_t server_port = 0;                 // --port: which side is the server (0: guessed)
  size_t max_pending_bytes = size_t{4} << 20;  // out-of-order bytes held per direction
  size_t max_pending_segments = 4096;          // and segments (tiny ones cost more than their bytes)
  int64_t idle_timeout_us = int64_t{600} * 1000000;
  // Connections open at once; past it the least recently active tenth is
  // ended (a capture of a scan or a SYN flood must not grow memory).
  size_t max_connections = 65536;
};

class TcpReassembler {
 public:
  using HandlerFactory = std::function<std::unique_ptr<ConnectionHandler>(const ConnectionInfo&)>;
  using Warn = std::function<void(const std::string&)>;

  TcpReassembler(ReassemblyOptions options, HandlerFactory factory, Warn warn);
  ~TcpReassembler();

  // One captured frame; frames that are not TCP are ignored.
  void packet(const Packet& packet);
  // Ends every connection (the end of the capture).
  void finish();

  uint64_t packets() const { return packets_; }
  uint64_t tcp_payload_bytes() const { return payload_bytes_; }

 private:
  struct Direction {
    bool started = false;
    uint32_t next_seq = 0;
    std::map<uint32_t, std::string> pending;  // by sequence number (relative to next_seq when compared)
    size_t pending_bytes = 0;
    bool fin = false;
    uint32_t fin_seq = 0;
    bool draining = false;  // drain() is running: deliver() leaves the pending segments to it  // the sequence number of the FIN: all before it is data
  };
  struct Connection {
    ConnectionInfo info;
    std::unique_ptr<ConnectionHandler> handler;
    Direction dir[2];
    int64_t last_time = 0;
    bool client_first = true;  // whether the client's endpoint sorts first in the key
  };

  void deliver(Connection& c, Side from, Direction& d, uint32_t seq, std::string_view payload, int64_t time);
  void drain(Connection& c, Side from, Direction& d, int64_t time);
  void flush_pending(Connection& c, Side from, Direction& d, int64_t time);

  // Both ends of a connection, the lower first, each as 1 byte family, 16
  // bytes address, 2 bytes port: fixed size, so finding a packet's
  // connection allocates nothing.
  using ConnectionKey = std::array<char, 38>;
  struct ConnectionKeyHash {
    size_t operator()(const ConnectionKey& key) const noexcept {
      return std::hash<std::string_view>{}(std::string_view(key.data(), key.size()));
    }
  };
  static ConnectionKey connection_key(const uint8_t (&a)[19], const uint8_t (&b)[19]);

  void close(const ConnectionKey& key, int64_t time);
  void expire_idle(int64_t now);
  void shed_connections(int64_t now);

  ReassemblyOptions options_;
  HandlerFactory factory_;
  Warn warn_;
  std::unordered_map<ConnectionKey, std::unique_ptr<Connection>, ConnectionKeyHash> connections_;
  uint64_t next_id_ = 1;
  uint64_t packets_ = 0;
  uint64_t payload_bytes_ = 0;
  int64_t last_expiry_check_ = 0;
};

}  // namespace thrift_call::capture
