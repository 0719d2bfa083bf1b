// HttpFrameReader: one HTTP/1.x request or response taken off a byte stream
// (a captured connection), with the Thrift message its body carries; the
// FrameReader of framing.h for HTTP. The client (libcurl) and serve
// (libmicrohttpd) have their HTTP read by their libraries; decode reads
// captured HTTP with this.
//
// A body is a message, or a THeader frame holding one (Apache's THttpServer
// and THttpClient with THeaderProtocol send those).
//
// The body is delimited by Content-Length, by chunks (read as they come:
// each chunk once, never the body from its start again), or, for an
// HTTP/1.0 body without a length, by the end of the Thrift message in it.
// Bounded: the head and trailers at 64 KB each, a chunk size line at 1 KB,
// the body at the message limit.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/transport/framing.h"

namespace thrift_call::transport {

class HttpFrameReader {
 public:
  explicit HttpFrameReader(size_t max_body);

  // `input`: the stream from the first byte of the HTTP message; between
  // calls it may only grow. After Ready, the next call starts a new message
  // (the caller drops frame().size bytes first).
  FrameStatus next(std::string_view input);
  // The stream ended: a body that runs until the connection closes ends here.
  FrameStatus finish(std::string_view input);

  // After Ready: size is the whole HTTP message; message the body (empty for
  // none: the answer to a oneway call), its protocol from its first byte.
  const Frame& frame() const { return frame_; }
  const std::string& why() const { return why_; }

 private:
  enum class Stage { Head, Length, Chunks, Trailers, UntilClose };

  FrameStatus read_head(std::string_view input);
  FrameStatus read_chunks(std::string_view input);
  FrameStatus read_trailers(std::string_view input);
  FrameStatus body_ready(size_t size, std::string_view body);
  FrameStatus implausible(std::string why);
  void reset();

  size_t max_body_;
  Stage stage_ = Stage::Head;
  size_t at_ = 0;           // the next byte of `input` to read (past the head, a chunk, a trailer line)
  size_t body_length_ = 0;  // Content-Length
  size_t trailers_from_ = 0;
  std::string chunked_;     // the chunks' data so far
  std::optional<FrameReader> until_close_;
  FrameReader theader_;  // a body that is a THeader frame (Apache's THeader protocol over HTTP)
  Frame frame_;
  std::string why_;
};

}  // namespace thrift_call::transport
