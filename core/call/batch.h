// Batch mode (`call --batch`): one call per input line over one connection;
// exactly one output line per input line, in input order, errors included
// as {"error": {"kind": ..., "message": ...}}. With `pipeline` > 1 up to that
// many calls are out before their replies are read; without, one call is out
// at a time: each reply is read to its end before the next call goes out,
// and decoded and printed while that call waits, as the line after it is
// parsed and encoded.
#pragma once

#include <cstdio>

#include "core/call/method_caller.h"

namespace thrift_call {

struct BatchStreams {
  int input_fd;            // read in large blocks, line by line
  const char* input_name;  // in errors: "stdin line 3"
  FILE* out;               // one line per input line; flushed whenever input would block, and at the end
  FILE* diagnostics;       // each error's one line too, unless null
};

// Returns the worst exit code of the calls (0 when there were none).
int run_batch(MethodCaller& caller, const BatchStreams& streams, int pipeline);

}  // namespace thrift_call
