#include "core/call/batch.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "base/error.h"
#include "base/function_ref.h"
#include "core/call/observer.h"
#include "core/codec/json_line.h"
#include "core/user_input/json_input.h"

namespace thrift_call {

namespace {

// One input line's result: printed already, or a reply still to read.
struct Slot {
  std::optional<PrintedOutcome> done;
  CallSession::Pending pending;
};

// The batch's own work while a synchronous call is out, as the session's
// observer for the length of the batch; what the observer before it
// watched (-v's trace, timings) still reaches it.
class WhileCallIsOut final : public CallObserver {
 public:
  WhileCallIsOut(CallSession& session, FunctionRef<void()> work)
      : session_(session), work_(work), before_(session.observer()) {
    session_.set_observer(this);  // which asks tracing(): before_ is set by now
  }
  ~WhileCallIsOut() override { session_.set_observer(before_); }
  WhileCallIsOut(const WhileCallIsOut&) = delete;
  WhileCallIsOut& operator=(const WhileCallIsOut&) = delete;

  bool tracing() const override { return before_ && before_->tracing(); }
  bool timing() const override { return before_ && before_->timing(); }
  void trace(const std::string& line) override { before_->trace(line); }
  void timed(const CallTimings& timings) override {
    if (before_) before_->timed(timings);
  }
  void while_waiting() override {
    if (before_) before_->while_waiting();
    work_();
  }

 private:
  CallSession& session_;
  FunctionRef<void()> work_;
  CallObserver* before_;
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

// The JSON values of a LineReader's input, each parsed into the tree a call
// takes. A line holding one value (the common case, and the fast one) is
// parsed where it stands. Only a line that does not parse as one value is
// looked at again (scan_json_value): several values on it are several
// calls; a value left open continues on the next lines, as `jq` prints
// values. A blank line outside a value is an error of its own, so that
// every line a writer sends gets an answer.
class ValueReader {
 public:
  ValueReader(LineReader& input, std::string origin) : input_(input), origin_(std::move(origin)) {}

  // The next value (or its error) into `into`; with `wait` false only what
  // is in already. False at the end of the input (or when nothing is in).
  bool next(bool wait, MethodCaller::Prepared& into) {
    for (;;) {
      if (!pending_.empty()) {
        std::optional<bool> got = next_pending(wait, into);
        if (got) return *got;
        continue;  // the pending text is used up
      }
      if (!wait && !input_.has_line_ready()) return false;
      if (!input_.next(line_)) return false;
      ++line_number_;
      into.error.reset();
      if (input_.too_long()) {
        into.error = Error(ErrorKind::Input, "longer than " + std::to_string(kMaxWholeInput >> 20) + " MiB", where());
        return true;
      }
      if (is_blank(line_)) {
        into.error = Error(ErrorKind::Input, "a blank line, not a JSON value", where());
        return true;
      }
      try {
        parse_json_argument_into(line_, origin_, line_number_, into.args);
        return true;
      } catch (const Error& e) {
        JsonValueExtent extent = scan_json_value(line_);
        bool one_value = extent.status == JsonValueExtent::Status::Invalid ||
                         (extent.status == JsonValueExtent::Status::Complete && is_blank(line_.substr(extent.end)));
        if (one_value) {
          into.error = e;
          return true;
        }
      }
      // Several values, or one that goes on: read them from here on.
      pending_.assign(line_);
      pos_ = 0;
      pending_first_line_ = line_number_;
      at_line_start_ = true;
    }
  }

 private:
  static bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r") == std::string_view::npos; }

  std::string where() const { return origin_ + " line " + std::to_string(line_number_); }

  int line_of(size_t offset) const {
    return pending_first_line_ + static_cast<int>(std::count(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(offset), '\n'));
  }

  // The next value of pending_: true with it (or its error) in `into`;
  // false when it is not all in yet and `wait` is false; nullopt when
  // pending_ is used up.
  std::optional<bool> next_pending(bool wait, MethodCaller::Prepared& into) {
    into.error.reset();
    // Blanks up to the next value; a whole blank line is an answer of its own.
    for (;;) {
      size_t line_end = std::min(pending_.find('\n', pos_), pending_.size());
      if (at_line_start_ && is_blank(std::string_view(pending_).substr(pos_, line_end - pos_))) {
        int blank_line = line_of(pos_);
        advance_to(line_end);
        into.error = Error(ErrorKind::Input, "a blank line, not a JSON value", origin_ + " line " + std::to_string(blank_line));
        return true;
      }
      size_t next = pending_.find_first_not_of(" \t\r", pos_);
      if (next == std::string::npos) {
        pending_.clear();
        return std::nullopt;
      }
      if (pending_[next] != '\n') {
        pos_ = next;
        break;
      }
      pos_ = next + 1;
      at_line_start_ = true;
    }
    // Each line read in while the value is incomplete is scanned again with
    // it; reading up to as much again as it holds each time keeps that
    // linear in the value's size.
    for (;;) {
      JsonValueExtent extent = scan_json_value(pending_, pos_);
      if (extent.status == JsonValueExtent::Status::Complete) {
        std::string_view value = std::string_view(pending_).substr(extent.begin, extent.end - extent.begin);
        parse(value, line_of(extent.begin), into);
        pos_ = extent.end;
        at_line_start_ = false;
        return true;
      }
      if (extent.status == JsonValueExtent::Status::Invalid) {
        size_t error_line_start = pending_.rfind('\n', extent.end == 0 ? 0 : extent.end - 1);
        error_line_start = error_line_start == std::string::npos || error_line_start < extent.begin ? extent.begin : error_line_start + 1;
        size_t error_line_end = std::min(pending_.find('\n', extent.end), pending_.size());
        parse(std::string_view(pending_).substr(extent.begin, error_line_end - extent.begin), line_of(extent.begin), into);
        // Read on from the line after the error, or from its line when the
        // error is its first character and the value began above: an
        // unclosed line does not take the next one down with it.
        bool starts_its_line = extent.end > extent.begin && error_line_start > extent.begin &&
                               pending_.find_first_not_of(" \t\r", error_line_start) == extent.end;
        advance_to(starts_its_line ? error_line_start : error_line_end);
        at_line_start_ = starts_its_line;
        if (!into.error) into.error = Error(ErrorKind::Input, "invalid JSON", origin_ + " line " + std::to_string(line_of(extent.end)));
        return true;
      }
      // Incomplete: more lines.
      if (input_ended_) {
        parse(std::string_view(pending_).substr(extent.begin), line_of(extent.begin), into);
        if (!into.error) into.error = Error(ErrorKind::Input, "invalid JSON: the input ends inside a value", where());
        pending_.clear();
        return true;
      }
      size_t wanted = pending_.size() - extent.begin;
      size_t taken = 0;
      do {
        if (!wait && !input_.has_line_ready()) return false;
        if (!input_.next(line_)) {
          input_ended_ = true;
          break;
        }
        ++line_number_;
        if (input_.too_long()) {
          into.error = Error(ErrorKind::Input, "longer than " + std::to_string(kMaxWholeInput >> 20) + " MiB", where());
          pending_.clear();
          return true;
        }
        pending_.push_back('\n');
        pending_.append(line_);
        taken += line_.size() + 1;
      } while (taken < wanted && input_.has_line_ready());
      if (pending_.size() - extent.begin > kMaxWholeInput) {
        into.error = Error(ErrorKind::Input, "a JSON value longer than " + std::to_string(kMaxWholeInput >> 20) + " MiB",
                           origin_ + " line " + std::to_string(line_of(extent.begin)));
        pending_.clear();
        return true;
      }
    }
  }

  void parse(std::string_view value, int first_line, MethodCaller::Prepared& into) {
    value_.assign(value);
    try {
      parse_json_argument_into(value_, origin_, first_line, into.args);
    } catch (const Error& e) {
      into.error = e;
    }
  }

  // Drops what is read up to `offset`, keeping the line count.
  void advance_to(size_t offset) {
    if (offset < pending_.size() && pending_[offset] == '\n') ++offset;
    pending_first_line_ = line_of(offset);
    pending_.erase(0, offset);
    pos_ = 0;
    at_line_start_ = true;
  }

  LineReader& input_;
  std::string origin_;
  std::string line_;
  int line_number_ = 0;
  // Text read beyond the last value taken: the rest of a line with several
  // values, or the lines of a value still open. Empty in the fast case.
  std::string pending_;
  size_t pos_ = 0;
  int pending_first_line_ = 0;  // the line pending_ starts on
  bool at_line_start_ = true;   // nothing of pos_'s line taken yet
  bool input_ended_ = false;
  std::string value_;
};

}  // namespace

int run_batch(MethodCaller& caller, const BatchStreams& streams, int pipeline) {
  // One line per input line, errors included, so a script loses nothing.
  auto error_line = [&](const Error& e) {
    if (streams.diagnostics) std::fprintf(streams.diagnostics, "thrift-call: %s\n", e.diagnostic().c_str());
    return print_failure(e);
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
  ValueReader values(input, streams.input_name);
  // The next value (or its error) made ready as a call; with `wait` false
  // only from what is in already. False at the end of the input (or when
  // nothing is in).
  auto next_call = [&](bool wait, MethodCaller::Prepared& into) {
    if (!values.next(wait, into)) return false;
    if (into.error) {
      into.encoded.bytes.clear();
    } else {
      caller.prepare_parsed(into);
    }
    return true;
  };
  // Two, used in turn: a call's own, and the next line's, which a
  // synchronous call prepares while the server runs it (and whose
  // arguments tree the line after that reuses).
  MethodCaller::Prepared prepared[2];
  size_t turn = 0;
  bool next_prepared = false;
  // The previous reply is printed, and the next line parsed and encoded,
  // while a synchronous call is out, not between its reply and the next
  // call: the wire still carries one call at a time, the next sent only
  // once this one's reply is in. By then `turn` names the next line's half.
  auto while_call_is_out = [&] {
    print_undecoded();
    if (next_call(false, prepared[turn])) next_prepared = true;
  };
  WhileCallIsOut observer(caller.session(), while_call_is_out);
  while (next_prepared || next_call(true, prepared[turn])) {
    MethodCaller::Prepared& this_call = prepared[turn];
    CallSession::UndecodedReply& this_reply = replies[turn];
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
        caller.call_undecoded(this_call, this_reply);
        print_undecoded();  // while_call_is_out did not run: a oneway call waits for no reply
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
