#include "core/batch.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "core/codec/json_line.h"
#include "core/json_input.h"
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

  // False at the end of the input. A line longer than kMaxWholeInput is not
  // kept: it comes back empty, with too_long() true.
  bool too_long() const { return too_long_; }

  // Whether next() would return at once, without reading.
  bool has_line_ready() {
    if (ended_) return true;
    if (buffer_.find('\n', scanned_) != std::string::npos) return true;
    scanned_ = buffer_.size();
    return false;
  }

  bool next(std::string& line) {
    too_long_ = false;
    for (;;) {
      size_t end = buffer_.find('\n', scanned_);
      if (end != std::string::npos) {
        line.assign(buffer_, start_, too_long_ ? 0 : end - start_);
        start_ = scanned_ = end + 1;
        return true;
      }
      // Only what comes in next is searched: a long line is scanned once.
      buffer_.erase(0, start_);
      start_ = 0;
      scanned_ = buffer_.size();
      if (buffer_.size() > kMaxWholeInput) {
        too_long_ = true;  // read on to its end, keeping none of it
        std::string().swap(buffer_);
        scanned_ = 0;
      }
      if (ended_) {
        if (buffer_.empty() && !too_long_) return false;
        if (too_long_) {
          line.clear();
        } else {
          line = std::move(buffer_);
        }
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
  size_t start_ = 0;    // where the next line begins
  size_t scanned_ = 0;  // no newline in buffer_ from start_ up to here
  bool ended_ = false;
  bool too_long_ = false;
};

}  // namespace

int run_batch(MethodCaller& caller, const BatchStreams& streams, int pipeline) {
  // One line per input line, errors included, so a script loses nothing.
  auto error_line = [&](const Error& e) {
    // The message may quote the reply's bytes: to_json_line keeps the line valid JSON.
    codec::Json error = {{"error", {{"kind", to_string(e.kind())}, {"message", e.diagnostic()}}}};
    if (streams.diagnostics) std::fprintf(streams.diagnostics, "thrift-call: %s\n", e.diagnostic().c_str());
    return PrintedOutcome{codec::to_json_line(error), exit_code(e.kind()), {}};
  };
  int worst = 0;
  // Buffered: written out when input would block and at the end, not after
  // each line, which would cost a write per call.
  auto emit = [&](const PrintedOutcome& outcome) {
    if (!outcome.warning.empty() && streams.diagnostics)
      std::fprintf(streams.diagnostics, "thrift-call: warning: %s\n", outcome.warning.c_str());
    std::fwrite(outcome.text.data(), 1, outcome.text.size(), streams.out);
    std::fputc('\n', streams.out);
    worst = std::max(worst, outcome.exit_code);
  };
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
    emit(*front.done);
    slots.pop_front();
  };
  // The reply to the last synchronous call, read but not yet decoded: it is
  // decoded and printed while the next call is out, so that the next call
  // follows a reply as soon as it can. Two, used in turn with `prepared`:
  // the reply waiting to be printed and the one coming in.
  CallSession::UndecodedReply replies[2];
  CallSession::UndecodedReply* undecoded = nullptr;
  std::string printed_buffer;  // each printed line's, for the next one's
  auto print_undecoded = [&] {
    if (!undecoded) return;
    const CallSession::UndecodedReply& reply = *std::exchange(undecoded, nullptr);
    try {
      PrintedOutcome printed = caller.decode(reply, std::move(printed_buffer));
      emit(printed);
      printed_buffer = std::move(printed.text);
    } catch (const Error& e) {
      emit(error_line(e));
    }
  };
  // Before waiting for more input, answer everything read so far: a caller
  // feeding lines one at a time gets each answer without sending the next.
  LineReader input(streams.input_fd, streams.input_name, [&] {
    print_undecoded();
    while (!slots.empty()) flush_front();
    std::fflush(streams.out);
  });
  std::string line;
  const std::string origin = streams.input_name;  // errors say "stdin line 3, column 7"
  int line_number = 0;
  // The next line that is not blank, into `line`; with `wait` false only
  // one read in already. False at the end of the input (or when none is in).
  auto next_line = [&](bool wait) {
    while (wait || input.has_line_ready()) {
      if (!input.next(line)) return false;
      ++line_number;
      if (input.too_long() || line.find_first_not_of(" \t\r") != std::string::npos) return true;
    }
    return false;
  };
  auto prepare = [&](MethodCaller::Prepared& into) {
    if (!input.too_long()) return caller.prepare(line, origin, line_number, into);
    into.encoded.bytes.clear();
    into.error = Error(ErrorKind::Input, "longer than " + std::to_string(kMaxWholeInput >> 20) + " MiB",
                       origin + " line " + std::to_string(line_number));
  };
  // Two, used in turn: a call's own, and the next line's, which a
  // synchronous call prepares while the server runs it (and whose
  // arguments tree the line after that reuses).
  MethodCaller::Prepared prepared[2];
  size_t turn = 0;
  bool next_prepared = false;
  while (next_prepared || next_line(true)) {
    MethodCaller::Prepared& this_call = prepared[turn];
    MethodCaller::Prepared& next_call = prepared[turn ^ 1];
    CallSession::UndecodedReply& this_reply = replies[turn];
    if (!next_prepared) prepare(this_call);
    next_prepared = false;
    turn ^= 1;
    Slot slot;
    try {
      if (pipeline > 1 && caller.can_pipeline()) {
        print_undecoded();  // a synchronous first call's (it found the protocol)
        slot.pending = caller.send(this_call);
        ++in_flight;
      } else {
        while (!slots.empty()) flush_front();  // a synchronous call goes after those in flight
        // The previous reply is printed, and the next line parsed and
        // encoded, while this call is out, not between its reply and the
        // next call: the wire still carries one call at a time, the next
        // sent only once this one's reply is in.
        auto while_waiting = [&] {
          print_undecoded();
          if (next_line(false)) {
            prepare(next_call);
            next_prepared = true;
          }
        };
        FunctionRef<void()> hook(while_waiting);
        caller.call_undecoded(this_call, &hook, this_reply);
        print_undecoded();  // the hook did not run: a oneway call waits for no reply
        undecoded = &this_reply;
        continue;
      }
    } catch (const Error& e) {
      print_undecoded();
      slot.done = error_line(e);
    }
    if (slots.empty() && slot.done) {
      // Nothing ahead of it (always so without --pipeline): out at once,
      // not through the queue.
      emit(*slot.done);
      continue;
    }
    slots.push_back(std::move(slot));
    // A full window is drained to half, not by one reply: the next calls
    // are then queued (CallSession::send) and go out together, in one
    // system call, when the next reply is read.
    if (in_flight >= static_cast<size_t>(pipeline))
      while (in_flight > static_cast<size_t>(pipeline) / 2) flush_front();
    while (!slots.empty() && slots.front().done) flush_front();
  }
  print_undecoded();
  while (!slots.empty()) flush_front();
  std::fflush(streams.out);
  return worst;
}

}  // namespace thrift_call
