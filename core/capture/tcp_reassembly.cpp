#include "core/capture/tcp_reassembly.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace thrift_call::capture {

namespace {

// Link types as libpcap's pcap_datalink() reports them (DLT_* values).
constexpr int kDltNull = 0, kDltEthernet = 1, kDltRaw = 12, kDltRawOpenBsd = 14, kDltLinktypeRaw = 101,
              kDltLoop = 108, kDltLinuxSll = 113, kDltIpv4 = 228, kDltIpv6 = 229, kDltLinuxSll2 = 276;

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

// An address and port: 1 byte family, 16 bytes address, 2 bytes port.
struct Endpoint {
  uint8_t bytes[19] = {};
  bool operator==(const Endpoint& o) const { return std::memcmp(bytes, o.bytes, sizeof bytes) == 0; }
  bool operator<(const Endpoint& o) const { return std::memcmp(bytes, o.bytes, sizeof bytes) < 0; }
  uint16_t port() const { return be16(bytes + 17); }
  std::string to_string() const {
    char text[INET6_ADDRSTRLEN] = {};
    bool v4 = bytes[0] == 4;
    inet_ntop(v4 ? AF_INET : AF_INET6, bytes + 1, text, sizeof text);
    return v4 ? std::string(text) + ":" + std::to_string(port()) : "[" + std::string(text) + "]:" + std::to_string(port());
  }
};

struct TcpSegment {
  Endpoint source, destination;
  uint32_t seq = 0;
  uint8_t flags = 0;
  std::string_view payload;
};
constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kAck = 0x10;

// The network layer of a frame: its IP packet, or empty.
std::string_view ip_packet(int link_type, std::string_view frame) {
  const auto* p = reinterpret_cast<const uint8_t*>(frame.data());
  size_t n = frame.size();
  auto by_ethertype = [&](uint16_t type, size_t offset) -> std::string_view {
    return (type == 0x0800 || type == 0x86dd) && n >= offset ? frame.substr(offset) : std::string_view();
  };
  switch (link_type) {
    case kDltEthernet: {
      if (n < 14) return {};
      size_t offset = 12;
      uint16_t type = be16(p + offset);
      while ((type == 0x8100 || type == 0x88a8) && n >= offset + 6) {
        offset += 4;
        type = be16(p + offset);
      }
      return by_ethertype(type, offset + 2);
    }
    case kDltLinuxSll: return n < 16 ? std::string_view() : by_ethertype(be16(p + 14), 16);
    case kDltLinuxSll2: return n < 20 ? std::string_view() : by_ethertype(be16(p), 20);
    case kDltNull:
    case kDltLoop: {
      if (n < 4) return {};
      // The family in host (null) or network (loop) order: 2 is IPv4, 24, 28 and 30 IPv6 on the BSDs and macOS.
      uint32_t family;
      std::memcpy(&family, p, 4);
      if (link_type == kDltLoop) family = ntohl(family);
      if (family > 0xffff) family = ntohl(family);  // a capture from a host of the other byte order
      return family == 2 || family == 24 || family == 28 || family == 30 ? frame.substr(4) : std::string_view();
    }
    case kDltRaw:
    case kDltRawOpenBsd:
    case kDltLinktypeRaw:
    case kDltIpv4:
    case kDltIpv6: return frame;
    default: return {};
  }
}

// The TCP segment inside an IP packet; false for anything else (and for IPv4 fragments).
bool parse_tcp(std::string_view ip, TcpSegment& s) {
  const auto* p = reinterpret_cast<const uint8_t*>(ip.data());
  size_t n = ip.size();
  if (n < 1) return false;
  size_t tcp_at = 0, end = n;
  int version = p[0] >> 4;
  if (version == 4) {
    if (n < 20) return false;
    size_t header = size_t{p[0] & 0x0fu} * 4;
    size_t total = be16(p + 2);
    if (p[9] != 6 || header < 20 || (be16(p + 6) & 0x3fff) != 0) return false;  // not TCP, or a fragment
    end = std::min(n, std::max(total, header));  // Ethernet pads short frames
    tcp_at = header;
    s.source.bytes[0] = s.destination.bytes[0] = 4;
    std::memcpy(s.source.bytes + 1, p + 12, 4);
    std::memcpy(s.destination.bytes + 1, p + 16, 4);
  } else if (version == 6) {
    if (n < 40) return false;
    end = std::min(n, size_t{40} + be16(p + 4));
    uint8_t next = p[6];
    size_t at = 40;
    while (next == 0 || next == 43 || next == 60) {  // hop-by-hop, routing, destination options
      if (at + 8 > end) return false;
      next = p[at];
      at += (size_t{p[at + 1]} + 1) * 8;
    }
    if (next != 6) return false;
    tcp_at = at;
    s.source.bytes[0] = s.destination.bytes[0] = 6;
    std::memcpy(s.source.bytes + 1, p + 8, 16);
    std::memcpy(s.destination.bytes + 1, p + 24, 16);
  } else {
    return false;
  }
  if (tcp_at + 20 > end) return false;
  const uint8_t* t = p + tcp_at;
  size_t header = static_cast<size_t>(t[12] >> 4) * 4;
  if (header < 20 || tcp_at + header > end) return false;
  std::memcpy(s.source.bytes + 17, t, 2);
  std::memcpy(s.destination.bytes + 17, t + 2, 2);
  s.seq = be32(t + 4);
  s.flags = t[13];
  s.payload = ip.substr(tcp_at + header, end - tcp_at - header);
  return true;
}

int32_t distance(uint32_t from, uint32_t to) { return static_cast<int32_t>(to - from); }

}  // namespace

TcpReassembler::ConnectionKey TcpReassembler::connection_key(const uint8_t (&a)[19], const uint8_t (&b)[19]) {
  bool a_first = std::memcmp(a, b, sizeof a) < 0;
  ConnectionKey key;
  std::memcpy(key.data(), a_first ? a : b, sizeof a);
  std::memcpy(key.data() + sizeof a, a_first ? b : a, sizeof b);
  return key;
}

TcpReassembler::TcpReassembler(ReassemblyOptions options, HandlerFactory factory, Warn warn)
    : options_(options), factory_(std::move(factory)), warn_(std::move(warn)) {}

TcpReassembler::~TcpReassembler() = default;

void TcpReassembler::packet(const Packet& packet) {
  ++packets_;
  TcpSegment s;
  std::string_view ip = ip_packet(packet.link_type, packet.data);
  if (ip.empty() || !parse_tcp(ip, s)) return;
  // --port: libpcap's filter does this for files; hex dumps' packets come here unfiltered.
  if (options_.server_port != 0 && s.source.port() != options_.server_port &&
      s.destination.port() != options_.server_port)
    return;
  if (packet.time_us - last_expiry_check_ > 10 * 1000000) expire_idle(packet.time_us);

  ConnectionKey key = connection_key(s.source.bytes, s.destination.bytes);
  auto found = connections_.find(key);
  if (found == connections_.end()) {
    if (s.payload.empty() && (s.flags & (kFin | kRst))) return;  // the end of a connection we never saw
    // Which side is the client: the one that sent the SYN; else the one
    // not on --port; else the one sending first (Thrift clients speak first).
    bool source_is_client = true;
    if (s.flags & kSyn) {
      source_is_client = !(s.flags & kAck);
    } else if (options_.server_port != 0) {
      source_is_client = s.destination.port() == options_.server_port;
    }
    const Endpoint& client = source_is_client ? s.source : s.destination;
    const Endpoint& server = source_is_client ? s.destination : s.source;
    if (connections_.size() >= options_.max_connections) {
      shed_connections(packet.time_us);
      found = connections_.end();
    }
    auto c = std::make_unique<Connection>();
    c->info.id = next_id_++;
    c->info.name = client.to_string() + " > " + server.to_string();
    c->client_first = client < server;
    c->handler = factory_(c->info);
    found = connections_.emplace(key, std::move(c)).first;
  }
  Connection& c = *found->second;
  c.last_time = packet.time_us;
  bool from_low = s.source < s.destination;
  Side from = from_low == c.client_first ? Side::Client : Side::Server;
  Direction& d = c.dir[from == Side::Client ? 0 : 1];

  if (s.flags & kSyn) {
    if (!d.started) {
      d.started = true;
      d.next_seq = s.seq + 1;
    }
  } else if (!d.started && !s.payload.empty()) {
    d.started = true;
    d.next_seq = s.seq;
  }
  if (!s.payload.empty()) {
    payload_bytes_ += s.payload.size();
    deliver(c, from, d, (s.flags & kSyn) ? s.seq + 1 : s.seq, s.payload, packet.time_us);
  }
  if ((s.flags & kFin) && d.started) {
    d.fin = true;
    d.fin_seq = s.seq + static_cast<uint32_t>(s.payload.size());
  }
  // Closed once both sides said FIN and every byte before each FIN came:
  // a capture may hold a FIN before the last data (packets taken on
  // different CPUs), and closing early would report a gap that is not one.
  auto done = [](const Direction& x) { return x.fin && x.pending.empty() && distance(x.next_seq, x.fin_seq) <= 0; };
  if ((s.flags & kRst) || (done(c.dir[0]) && done(c.dir[1]))) close(key, packet.time_us);
}

void TcpReassembler::deliver(Connection& c, Side from, Direction& d, uint32_t seq, std::string_view payload,
                             int64_t time) {
  int32_t ahead = distance(d.next_seq, seq);
  if (ahead <= 0) {
    size_t already = static_cast<size_t>(-static_cast<int64_t>(ahead));
    if (already >= payload.size()) return;  // a retransmission of bytes delivered
    payload.remove_prefix(already);
    c.handler->data(from, payload, time);
    d.next_seq += static_cast<uint32_t>(payload.size());
    if (!d.pending.empty() && !d.draining) drain(c, from, d, time);
    return;
  }
  // Ahead of what came so far: held until the hole fills.
  std::string& held = d.pending[seq];
  if (held.size() < payload.size()) {
    d.pending_bytes += payload.size() - held.size();
    held.assign(payload);
  }
  if (d.pending_bytes > options_.max_pending_bytes || d.pending.size() > options_.max_pending_segments)
    flush_pending(c, from, d, time);
}

void TcpReassembler::drain(Connection& c, Side from, Direction& d, int64_t time) {
  // A loop, not recursion through deliver(): thousands of held segments must not deepen the stack.
  d.draining = true;
  bool progressed = true;
  while (progressed && !d.pending.empty()) {
    progressed = false;
    for (auto it = d.pending.begin(); it != d.pending.end(); ++it) {
      if (distance(d.next_seq, it->first) > 0) continue;
      std::string bytes = std::move(it->second);
      uint32_t seq = it->first;
      d.pending_bytes -= bytes.size();
      d.pending.erase(it);
      deliver(c, from, d, seq, bytes, time);
      progressed = true;
      break;
    }
  }
  d.draining = false;
}

void TcpReassembler::flush_pending(Connection& c, Side from, Direction& d, int64_t time) {
  while (!d.pending.empty()) {
    auto nearest = d.pending.begin();
    for (auto it = d.pending.begin(); it != d.pending.end(); ++it)
      if (distance(d.next_seq, it->first) < distance(d.next_seq, nearest->first)) nearest = it;
    int32_t missing = distance(d.next_seq, nearest->first);
    if (missing > 0) {
      c.handler->gap(from, static_cast<uint64_t>(missing), time);
      d.next_seq = nearest->first;
    }
    drain(c, from, d, time);
  }
}

void TcpReassembler::close(const ConnectionKey& key, int64_t time) {
  auto found = connections_.find(key);
  if (found == connections_.end()) return;
  Connection& c = *found->second;
  flush_pending(c, Side::Client, c.dir[0], time);
  flush_pending(c, Side::Server, c.dir[1], time);
  c.handler->closed(time);
  connections_.erase(found);
}

void TcpReassembler::expire_idle(int64_t now) {
  last_expiry_check_ = now;
  std::vector<ConnectionKey> idle;
  for (const auto& [key, c] : connections_)
    if (now - c->last_time > options_.idle_timeout_us) idle.push_back(key);
  for (const ConnectionKey& key : idle) close(key, now);
}

void TcpReassembler::shed_connections(int64_t now) {
  std::vector<std::pair<int64_t, ConnectionKey>> by_age;
  by_age.reserve(connections_.size());
  for (const auto& [key, c] : connections_) by_age.emplace_back(c->last_time, key);
  size_t shed = std::max<size_t>(1, by_age.size() / 10);
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(shed - 1), by_age.end());
  warn_("more than " + std::to_string(options_.max_connections) + " connections open at once: the " +
        std::to_string(shed) + " least recently active are ended");
  for (size_t i = 0; i < shed; ++i) close(by_age[i].second, now);
}

void TcpReassembler::finish() {
  while (!connections_.empty()) close(connections_.begin()->first, connections_.begin()->second->last_time);
}

}  // namespace thrift_call::capture
