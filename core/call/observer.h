// What whoever makes calls may watch of them, in one small interface: -v's
// trace lines, each exchange's timings, and the moment a call is out and its
// reply not read yet. Every hook does nothing unless overridden, so each
// user overrides only what it needs: the call verb's -v traces, the batch
// prints the previous reply while a call is out, and bench, gateway and
// replay take the timings.
#pragma once

#include <chrono>
#include <string>

namespace thrift_call {

// One exchange: a call sent and its reply read to its end.
struct CallTimings {
  using Duration = std::chrono::steady_clock::duration;
  Duration connect{};  // connecting (TLS included); zero on a connection already open
  Duration reply{};    // from connected to the reply read, less the caller's while_waiting()
};

class CallObserver {
 public:
  virtual ~CallObserver() = default;

  // Whether trace() wants lines at all: they cost a string each, so they
  // are only made when asked for. Asked once, when the observer is set.
  virtual bool tracing() const { return false; }
  // A line of what happens on the wire: connecting, TLS, each message's
  // bytes, probes, THeader headers, timings. Peer text in it is escaped.
  virtual void trace(const std::string& line) { (void)line; }
  // Whether timed() wants the timings: the clock is only read for an
  // observer that traces or times. Asked once, when the observer is set.
  virtual bool timing() const { return false; }
  // After each exchange whose reply was read (not oneway calls, not probes).
  virtual void timed(const CallTimings& timings) { (void)timings; }
  // Once per call, when it is out and before its reply is read: the
  // caller's own work meanwhile, left out of the timings. Not for pipelined
  // calls, and not for a oneway call. Must not throw Error: it is not the
  // call's failure.
  virtual void while_waiting() {}
};

// The -v observer: each trace line to stderr, after "* ".
CallObserver& stderr_trace();

}  // namespace thrift_call
