#include "core/serve/recorder.h"

#include <cerrno>
#include <cstring>

#include "idl/error.h"

namespace thrift_call::serve {

Recorder::Recorder(const std::string& path) {
  if (path == "-") {
    file_ = stderr;
    return;
  }
  file_ = std::fopen(path.c_str(), "a");
  if (!file_) throw Error(ErrorKind::Usage, std::string("cannot write the recording: ") + std::strerror(errno), path);
  owned_ = true;
}

Recorder::~Recorder() {
  if (owned_) std::fclose(file_);
}

void Recorder::write(std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fputc('\n', file_);
  std::fflush(file_);
}

}  // namespace thrift_call::serve
