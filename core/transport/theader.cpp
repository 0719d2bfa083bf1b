#include "core/transport/theader.h"

#include <zlib.h>

#include "core/protocol/ttype.h"
#include "base/error.h"

namespace thrift_call::transport {

namespace {

constexpr uint32_t kZlibTransform = 1;
constexpr uint32_t kKeyValueHeader = 1;
constexpr uint32_t kPersistentKeyValueHeader = 2;

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_string(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

void put_be(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
}

std::string deflate_payload(std::string_view in) {
  uLongf size = compressBound(static_cast<uLong>(in.size()));
  std::string out(size, '\0');
  if (compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(in.data()),
               static_cast<uLong>(in.size())) != Z_OK)
    throw Error(ErrorKind::Input, "zlib could not compress the call");
  out.resize(size);
  return out;
}

std::string inflate_payload(std::string_view in, size_t offset, size_t max) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) protocol::throw_read_error(offset, "zlib could not start");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[65536];
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      protocol::throw_read_error(offset, "the zlib payload is corrupt");
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max) {
      inflateEnd(&z);
      protocol::throw_read_error(offset, "the zlib payload inflates past the limit of " + std::to_string(max) + " bytes");
    }
  } while (rc != Z_STREAM_END && z.avail_in > 0);
  inflateEnd(&z);
  if (rc != Z_STREAM_END) protocol::throw_read_error(offset, "the zlib payload ends early");
  return out;
}

// Reads header fields from a frame body, never past its end.
class Cursor {
 public:
  explicit Cursor(std::string_view b) : b_(b) {}
  size_t pos() const { return pos_; }
  uint64_t be(int bytes) {
    need(static_cast<size_t>(bytes), "THeader fixed fields");
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(b_[pos_++]);
    return v;
  }
  uint64_t varint(size_t end) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= end) protocol::throw_read_error(pos_, "THeader varint runs past the header");
      uint8_t byte = static_cast<uint8_t>(b_[pos_++]);
      v |= uint64_t{byte & 0x7fu} << shift;
      if (!(byte & 0x80)) return v;
    }
    protocol::throw_read_error(pos_, "THeader varint longer than 10 bytes");
  }
  std::string string(size_t end) {
    uint64_t n = varint(end);
    if (n > end - pos_) protocol::throw_read_error(pos_, "THeader string runs past the header");
    std::string s(b_.substr(pos_, n));
    pos_ += n;
    return s;
  }

 private:
  void need(size_t n, const char* what) {
    if (b_.size() - pos_ < n) protocol::throw_read_error(pos_, std::string("the frame ends inside ") + what);
  }
  std::string_view b_;
  size_t pos_ = 0;
};

}  // namespace

bool is_theader_frame(std::string_view frame) {
  return frame.size() >= 6 && static_cast<uint8_t>(frame[4]) == kTHeaderMagic >> 8 &&
         static_cast<uint8_t>(frame[5]) == (kTHeaderMagic & 0xff);
}

uint64_t theader_protocol_id(codec::ProtocolKind kind) {
  if (kind == codec::ProtocolKind::Json)
    throw Error(ErrorKind::Usage, "THeader carries the binary or compact protocol, not json", "--transport header");
  return kind == codec::ProtocolKind::Compact ? 2 : 0;
}

std::optional<codec::ProtocolKind> theader_protocol(uint64_t id) {
  if (id == 0) return codec::ProtocolKind::Binary;
  if (id == 2) return codec::ProtocolKind::Compact;
  return std::nullopt;
}

std::string theader_frame(std::string_view message, const THeaderOptions& options) {
  std::string header;
  put_varint(header, theader_protocol_id(options.protocol));
  put_varint(header, options.zlib ? 1 : 0);
  if (options.zlib) put_varint(header, kZlibTransform);
  if (!options.headers.empty()) {
    put_varint(header, kKeyValueHeader);
    put_varint(header, options.headers.size());
    for (const auto& [k, v] : options.headers) {
      put_string(header, k);
      put_string(header, v);
    }
  }
  header.append((4 - header.size() % 4) % 4, '\0');
  std::string payload = options.zlib ? deflate_payload(message) : std::string(message);

  std::string frame;
  put_be(frame, 10 + header.size() + payload.size(), 4);
  put_be(frame, kTHeaderMagic, 2);
  put_be(frame, 0, 2);  // flags
  put_be(frame, 0, 4);  // seqid: the message carries its own
  put_be(frame, header.size() / 4, 2);
  frame += header;
  frame += payload;
  return frame;
}

THeaderReply parse_theader(std::string_view body, size_t max_payload) {
  Cursor c(body);
  if (c.be(2) != kTHeaderMagic) protocol::throw_read_error(0, "not a THeader frame (no 0x0FFF magic): try --transport framed");
  c.be(2);  // flags
  c.be(4);  // seqid
  size_t header_end = c.pos() + 2 + static_cast<size_t>(c.be(2)) * 4;
  if (header_end > body.size()) protocol::throw_read_error(c.pos(), "the THeader headers run past the frame");
  THeaderReply reply;
  reply.protocol_id = c.varint(header_end);
  uint64_t transforms = c.varint(header_end);
  bool zlib = false;
  for (uint64_t i = 0; i < transforms; ++i) {
    uint64_t id = c.varint(header_end);
    if (id != kZlibTransform) protocol::throw_read_error(c.pos(), "unknown THeader transform " + std::to_string(id));
    zlib = true;
  }
  while (c.pos() < header_end) {
    size_t at = c.pos();
    uint64_t type = c.varint(header_end);
    if (type == 0) break;  // padding
    // Persistent key-values (fbthrift's id 2) are written as key-values are.
    if (type != kKeyValueHeader && type != kPersistentKeyValueHeader)
      protocol::throw_read_error(
          at, "unknown THeader info id " + std::to_string(type) + " (1 and 2 are key-value headers, 0 padding)");
    uint64_t count = c.varint(header_end);
    for (uint64_t i = 0; i < count; ++i) {
      std::string key = c.string(header_end);
      reply.headers.emplace_back(std::move(key), c.string(header_end));
    }
  }
  std::string_view payload = body.substr(header_end);
  reply.zlib = zlib;
  reply.payload = zlib ? inflate_payload(payload, header_end, max_payload) : std::string(payload);
  return reply;
}

}  // namespace thrift_call::transport
