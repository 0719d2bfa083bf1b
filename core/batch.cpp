#include "core/batch.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "idl/error.h"

namespace thrift_call {

namespace {

// One input line's result: printed already, or a reply still to read.
struct Slot {
  std::optional<PrintedOutcome> done;
  CallSession::Pending pending;
};

// Lines of a file descriptor, read in large blocks. `before_waiting` runs
// whenever the next line is not in yet and reading would block.
class LineReader {
 public:
  LineReader(int fd, const char* name, std::function<void()> before_waiting)
      : fd_(fd), name_(name), before_waiting_(std::move(before_waiting)) {}

  bool next(std::string& line) {
    for (;;) {
      size_t end = buffer_.find('\n', start_);
      if (end != std::string::npos) {
        line.assign(buffer_, start_, end - start_);
        start_ = end + 1;
        return true;
      }
      buffer_.erase(0, start_);
      start_ = 0;
      if (ended_) {
        if (buffer_.empty()) return false;
        line = std::move(buffer_);
        buffer_.clear();
        return true;
      }
      before_waiting_();
      char block[65536];
      ssize_t n = ::read(fd_, block, sizeof block);
      if (n > 0) {
        buffer_.append(block, static_cast<size_t>(n));
      } else if (n == 0) {
        ended_ = true;
      } else if (errno != EINTR) {
        throw Error(ErrorKind::Input, std::string("cannot read ") + name_ + ": " + std::strerror(errno));
      }
    }
  }

 private:
  int fd_;
  const char* name_;
  std::function<void()> before_waiting_;
  std::string buffer_;
  size_t start_ = 0;
  bool ended_ = false;
};

}  // namespace

int run_batch(MethodCaller& caller, const BatchStreams& streams, int pipeline) {
  // One line per input line, errors included, so a script loses nothing.
  auto error_line = [&](const Error& e) {
    nlohmann::ordered_json error = {{"error", {{"kind", to_string(e.kind())}, {"message", e.diagnostic()}}}};
    if (streams.diagnostics) std::fprintf(streams.diagnostics, "thrift-call: %s\n", e.diagnostic().c_str());
    return PrintedOutcome{error.dump(), exit_code(e.kind())};
  };
  // Buffered: written out when input would block and at the end, not after
  // each line, which would cost a write per call.
  auto write_line = [&](const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), streams.out);
    std::fputc('\n', streams.out);
  };

  int worst = 0;
  std::deque<Slot> slots;
  size_t in_flight = 0;
  auto flush_front = [&] {
    Slot& front = slots.front();
    if (!front.done) {
      try {
        front.done = caller.receive(front.pending);
      } catch (const Error& e) {
        front.done = error_line(e);
      }
      --in_flight;
    }
    write_line(front.done->text);
    worst = std::max(worst, front.done->exit_code);
    slots.pop_front();
  };
  // Before waiting for more input, answer everything read so far: a caller
  // feeding lines one at a time gets each answer without sending the next.
  LineReader input(streams.input_fd, streams.input_name, [&] {
    while (!slots.empty()) flush_front();
    std::fflush(streams.out);
  });
  std::string line;
  const std::string origin = streams.input_name;  // errors say "stdin line 3, column 7"
  for (int n = 1; input.next(line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Slot slot;
    try {
      if (pipeline > 1 && caller.can_pipeline()) {
        slot.pending = caller.send(line, origin, n);
        ++in_flight;
      } else {
        while (!slots.empty()) flush_front();  // a synchronous call goes after those in flight
        slot.done = caller.call(line, origin, n);
      }
    } catch (const Error& e) {
      slot.done = error_line(e);
    }
    slots.push_back(std::move(slot));
    // A full window is drained to half, not by one reply: the next calls
    // are then queued (CallSession::send) and go out together, in one
    // system call, when the next reply is read.
    if (in_flight >= static_cast<size_t>(pipeline))
      while (in_flight > static_cast<size_t>(pipeline) / 2) flush_front();
    while (!slots.empty() && slots.front().done) flush_front();
  }
  while (!slots.empty()) flush_front();
  std::fflush(streams.out);
  return worst;
}

}  // namespace thrift_call
