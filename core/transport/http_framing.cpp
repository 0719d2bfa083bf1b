#include "core/transport/http_framing.h"

#include <cctype>
#include <cstdlib>

#include "core/transport/wire_detect.h"
#include "base/error.h"

namespace thrift_call::transport {

namespace {

constexpr size_t kMaxHead = 64 * 1024;
constexpr size_t kMaxTrailers = 64 * 1024;
constexpr size_t kMaxChunkLine = 1024;

bool iequals_prefix(std::string_view line, std::string_view lower_name) {
  if (line.size() < lower_name.size()) return false;
  for (size_t i = 0; i < lower_name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != lower_name[i]) return false;
  return true;
}

}  // namespace

HttpFrameReader::HttpFrameReader(size_t max_body) : max_body_(max_body), theader_(Framing::Header, max_body) {}

void HttpFrameReader::reset() {
  stage_ = Stage::Head;
  at_ = 0;
  body_length_ = 0;
  chunked_.clear();
  until_close_.reset();
}

FrameStatus HttpFrameReader::implausible(std::string why) {
  why_ = std::move(why);
  reset();
  return FrameStatus::Implausible;
}

FrameStatus HttpFrameReader::body_ready(size_t size, std::string_view body) {
  frame_ = Frame{};
  frame_.size = size;
  if (is_theader_frame(body)) {
    if (theader_.next_whole(body) != FrameStatus::Ready)
      return implausible("the HTTP body is a THeader frame that cannot be read: " + theader_.why());
    frame_ = theader_.frame();
    frame_.size = size;
  } else if (!body.empty()) {
    std::optional<codec::ProtocolKind> kind = detect_message_protocol(body, true);
    if (!kind) return implausible("the HTTP body holds no Thrift message");
    frame_.message = body;
    frame_.protocol = *kind;
  }
  // The chunks' data stays for frame().message; the rest starts over.
  stage_ = Stage::Head;
  at_ = 0;
  until_close_.reset();
  return FrameStatus::Ready;
}

FrameStatus HttpFrameReader::next(std::string_view input) {
  switch (stage_) {
    case Stage::Head: return read_head(input);
    case Stage::Length:
      if (input.size() < at_ + body_length_) return FrameStatus::NeedMore;
      return body_ready(at_ + body_length_, input.substr(at_, body_length_));
    case Stage::Chunks: return read_chunks(input);
    case Stage::Trailers: return read_trailers(input);
    case Stage::UntilClose: {
      std::string_view body = input.substr(at_);
      if (!until_close_) {
        if (body.empty()) return FrameStatus::NeedMore;
        if (!detect_message_protocol(body, true)) return implausible("the HTTP body holds no Thrift message");
        until_close_.emplace(Framing::Buffered, max_body_);
      }
      switch (until_close_->next(body)) {
        case FrameStatus::NeedMore: return FrameStatus::NeedMore;
        case FrameStatus::Implausible:
          return implausible(body.size() > max_body_ ? "an HTTP body longer than --max-message (" +
                                                           std::to_string(max_body_) + " bytes)"
                                                     : until_close_->why());
        case FrameStatus::Ready: break;
      }
      size_t end = until_close_->frame().size;
      return body_ready(at_ + end, body.substr(0, end));
    }
  }
  return FrameStatus::NeedMore;
}

FrameStatus HttpFrameReader::finish(std::string_view input) {
  if (stage_ != Stage::UntilClose || input.size() <= at_) return FrameStatus::NeedMore;
  return body_ready(input.size(), input.substr(at_));
}

FrameStatus HttpFrameReader::read_head(std::string_view input) {
  size_t end = input.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (input.size() > kMaxHead) return implausible("an HTTP header longer than 64 KB");
    return FrameStatus::NeedMore;
  }
  std::string_view head = input.substr(0, end);
  if (head.substr(0, 5) != "HTTP/" && head.find(" HTTP/1.") == std::string_view::npos)
    return implausible("not an HTTP request or response");
  bool has_length = false, chunked = false;
  unsigned long long length = 0;
  for (size_t line_start = head.find("\r\n"); line_start != std::string_view::npos;) {
    size_t line_end = head.find("\r\n", line_start + 2);
    std::string_view line = head.substr(line_start + 2, line_end == std::string_view::npos ? std::string_view::npos
                                                                                          : line_end - line_start - 2);
    if (iequals_prefix(line, "content-length:")) {
      has_length = true;
      length = std::strtoull(std::string(line.substr(15)).c_str(), nullptr, 10);
    }
    if (iequals_prefix(line, "transfer-encoding:") && line.find("chunked") != std::string_view::npos) chunked = true;
    line_start = line_end;
  }
  if (length > max_body_)
    return implausible("an HTTP body of " + std::to_string(length) + " bytes, over --max-message");
  at_ = end + 4;
  if (chunked) {
    stage_ = Stage::Chunks;
    chunked_.clear();
    return read_chunks(input);
  }
  if (has_length && length == 0) return body_ready(at_, {});  // e.g. the empty answer to a oneway call
  if (!has_length) {
    stage_ = Stage::UntilClose;
    return next(input);
  }
  stage_ = Stage::Length;
  body_length_ = static_cast<size_t>(length);
  return next(input);
}

// hex size CRLF, data CRLF, ..., 0 CRLF, trailers, CRLF: each chunk is
// taken once, when all of it is there.
FrameStatus HttpFrameReader::read_chunks(std::string_view input) {
  for (;;) {
    // Size lines and chunk extensions around the data are bounded too.
    if (input.size() > 2 * max_body_ + kMaxHead)
      return implausible("a chunked HTTP message (chunk sizes, data and trailers) longer than twice --max-message (" +
                         std::to_string(max_body_) + " bytes)");
    size_t line_end = input.find("\r\n", at_);
    if (line_end == std::string_view::npos) {
      if (input.size() - at_ > kMaxChunkLine) return implausible("an HTTP chunk size line longer than 1 KB");
      return FrameStatus::NeedMore;
    }
    std::string size_text(input.substr(at_, line_end - at_));
    char* size_end = nullptr;
    unsigned long long size = std::strtoull(size_text.c_str(), &size_end, 16);
    if (size_end == size_text.c_str())
      return implausible("a bad HTTP chunk size \"" + printable(std::string_view(size_text).substr(0, 64)) + "\"");
    if (size > max_body_ || chunked_.size() + size > max_body_)
      return implausible("a chunked HTTP body over --max-message (" + std::to_string(max_body_) + ")");
    if (size == 0) {
      at_ = line_end + 2;
      trailers_from_ = at_;
      stage_ = Stage::Trailers;
      return read_trailers(input);
    }
    size_t data = line_end + 2;
    if (input.size() < data + size + 2) return FrameStatus::NeedMore;
    chunked_.append(input.substr(data, size));
    at_ = data + size + 2;
  }
}

// Trailer lines until an empty one.
FrameStatus HttpFrameReader::read_trailers(std::string_view input) {
  for (;;) {
    size_t line_end = input.find("\r\n", at_);
    if (line_end == std::string_view::npos) {
      if (input.size() - trailers_from_ > kMaxTrailers) return implausible("HTTP trailers longer than 64 KB");
      return FrameStatus::NeedMore;
    }
    bool last = line_end == at_;
    at_ = line_end + 2;
    if (last) return body_ready(at_, chunked_);
  }
}

}  // namespace thrift_call::transport
