// The contiguous input the binary and compact readers share: the bytes, an
// offset, the limits, and reads that check the bytes left before touching
// them. A reader is this plus its own wire rules.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/protocol/ttype.h"

namespace thrift_call::protocol {

class ByteInput {
 public:
  size_t offset() const { return pos_; }
  bool at_end() const { return pos_ >= size_; }
  const ReadLimits& limits() const { return limits_; }
  // Continues where another reader of the same bytes stopped at a
  // message's top level, outside any struct: there these readers keep no
  // state but the offset (inside a struct the compact reader has the last
  // field id).
  void resume_at(size_t offset) { pos_ = offset < size_ ? offset : size_; }

  // A uuid is 16 bytes as they are, in both protocols.
  std::array<uint8_t, 16> read_uuid() {
    need(16, "uuid");
    std::array<uint8_t, 16> value;
    std::memcpy(value.data(), data_ + pos_, 16);
    pos_ += 16;
    return value;
  }

 protected:
  // `input` must outlive the reader and every view it returns.
  ByteInput(std::string_view input, const ReadLimits& limits)
      : data_(reinterpret_cast<const uint8_t*>(input.data())), size_(input.size()), limits_(limits) {}

  size_t left() const { return size_ - pos_; }
  void need(size_t n, const char* what) const {
    if (left() < n) detail::throw_truncated(pos_, what, n, left());
  }
  uint8_t read_u8(const char* what) {
    need(1, what);
    return data_[pos_++];
  }
  // The next `size` bytes as a view into the input; the caller has checked
  // `size` against the bytes left (detail::check_size).
  std::string_view take(size_t size) {
    std::string_view s(reinterpret_cast<const char*>(data_ + pos_), size);
    pos_ += size;
    return s;
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  ReadLimits limits_;
};

}  // namespace thrift_call::protocol
