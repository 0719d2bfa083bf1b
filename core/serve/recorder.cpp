#include "core/serve/recorder.h"

#include <cerrno>
#include <cstring>

#include "base/error.h"

namespace thrift_call::serve {

Recorder::Recorder(const std::string& path) {
  if (path == "-") {
    file_ = stderr;
  } else {
    file_ = std::fopen(path.c_str(), "a");
    if (!file_) throw Error(ErrorKind::Usage, std::string("cannot write the recording: ") + std::strerror(errno), path);
    owned_ = true;
  }

}

Recorder::~Recorder() {
  flush();
  if (owned_) std::fclose(file_);
}

void Recorder::write(std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  buffer_.append(line);
  buffer_.push_back('\n');
  if (buffer_.size() >= kFlushAt) write_out();
}

void Recorder::flush() {
  std::lock_guard<std::mutex> lock(mutex_);
  write_out();
}

void Recorder::write_out() {
  if (buffer_.empty()) return;
  std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
  std::fflush(file_);
  buffer_.clear();
}

}  // namespace thrift_call::serve
