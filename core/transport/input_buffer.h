// InputBuffer: bytes received and not yet consumed, for a reader that takes
// messages off the front. Consuming moves an offset; the bytes are moved
// down only once more than half of the buffer is consumed, so taking many
// small messages off a large backlog costs linear time, not quadratic.
#pragma once

#include <string>
#include <string_view>

namespace thrift_call::transport {

class InputBuffer {
 public:
  std::string_view view() const { return std::string_view(data_).substr(start_); }
  size_t size() const { return data_.size() - start_; }
  bool empty() const { return start_ == data_.size(); }

  void append(std::string_view bytes) { data_.append(bytes); }
  // For readers that append to a string (Socket::read_some): what they
  // append lands after view().
  std::string& back() { return data_; }

  void consume(size_t n) {
    start_ += n;
    if (start_ >= data_.size()) {
      data_.clear();
      start_ = 0;
    } else if (start_ > kMoveAfter && start_ * 2 > data_.size()) {
      data_.erase(0, start_);
      start_ = 0;
    }
  }
  void clear() {
    data_.clear();
    start_ = 0;
  }
  // Gives memory back once empty, so that a connection that once carried a
  // large message does not keep it while idle.
  void release_if_empty(size_t keep_capacity) {
    if (empty() && data_.capacity() > keep_capacity) std::string().swap(data_);
  }

 private:
  static constexpr size_t kMoveAfter = 4096;
  std::string data_;
  size_t start_ = 0;
};

}  // namespace thrift_call::transport
