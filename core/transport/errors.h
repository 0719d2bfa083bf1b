// Interrupting a wait: Ctrl-C in the REPL. (What each transport failure
// means is TransportFailure, in base/error.h.)
#pragma once

#include <csignal>

#include "base/error.h"

namespace thrift_call::transport {

// The error of a wait the user interrupted: see set_cancel_flag().
inline Error cancelled(std::string where) { return Error(TransportFailure::Cancelled, "cancelled", std::move(where)); }

// A flag a SIGINT handler sets (the REPL's, installed without SA_RESTART so
// that a blocking recv, send or connect returns EINTR). When it is set, an
// interrupted wait throws cancelled() instead of waiting on. Null (the
// default): EINTR just resumes the wait, as before.
void set_cancel_flag(volatile std::sig_atomic_t* flag);
bool cancel_requested();
bool cancel_flag_installed();

}  // namespace thrift_call::transport
