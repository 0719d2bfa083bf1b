// Where `serve` writes its recording: one NDJSON line per request and reply
// (see Dispatcher), on stderr or to a file, whole lines only, from any thread.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace thrift_call::serve {

class Recorder {
 public:
  // "-": stderr. Throws Error (Usage) when the file cannot be opened.
  explicit Recorder(const std::string& path);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Writes `line` and a newline, flushed, so a reader following the file
  // sees each exchange as it happens.
  void write(std::string_view line);

 private:
  std::mutex mutex_;
  FILE* file_ = nullptr;
  bool owned_ = false;
};

}  // namespace thrift_call::serve
