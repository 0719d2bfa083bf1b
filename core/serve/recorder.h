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

  // Writes `line` and a newline into the buffer.
  void write(std::string_view line);
  // Hands what is buffered to the file. The socket loop calls it once per
  // turn, so a reader following the file sees each exchange within one turn
  // of the loop, at the cost of one write for a batch rather than each line.
  void flush();

 private:
  static constexpr size_t kFlushAt = size_t{1} << 16;
  void write_out();

  std::mutex mutex_;
  std::string buffer_;  // whole lines not yet written
  FILE* file_ = nullptr;
  bool owned_ = false;
};

}  // namespace thrift_call::serve
