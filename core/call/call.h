// The call path as the verbs built on it use it (bench, gateway, replay):
// everything they need, and nothing of the call verb's own batch.
//
//   CallOptions options = make_call_options(settings, "PersonService");  // or filled in by hand
//   options.observer = &my_observer;           // optional: trace lines, timings (CallObserver)
//   CallSession session(std::move(options));   // one endpoint, one connection, reconnecting
//   CallOutcome out = session.call(fn, args);  // throws Error; out.kind says value or exception
//   int code = exit_code(out);                 // or print_outcome(out, style, endpoint)
//
// For many calls at once on one connection: session.can_pipeline(), then
// send() each and receive() each in order. One session is one connection:
// concurrency is one session per connection, each on its own thread.
// Failures are Error with a kind and, for transport errors, a failure()
// (base/error.h): tell an unreachable server from a timeout by that, never
// by the message. batch.h and method_caller.h are the call verb's (JSON
// text in, printed lines out) and are not for these.
#pragma once

#include "base/error.h"
#include "core/call/observer.h"
#include "core/call/outcome.h"
#include "core/call/session.h"
#include "core/call/settings.h"
