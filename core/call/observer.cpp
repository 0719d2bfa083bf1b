#include "core/call/observer.h"

#include <cstdio>

namespace thrift_call {

namespace {

class StderrTrace final : public CallObserver {
 public:
  bool tracing() const override { return true; }
  void trace(const std::string& line) override { std::fprintf(stderr, "* %s\n", line.c_str()); }
};

}  // namespace

CallObserver& stderr_trace() {
  static StderrTrace observer;
  return observer;
}

}  // namespace thrift_call
