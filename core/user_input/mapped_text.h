// A whole input (a JSON argument, a value to decode) held for a streaming
// reader: a regular file is mapped, not copied, and the pages already read
// are let go as the reader moves on, so that memory stays near the output's
// size however large the input. Standard input, pipes and inline text are
// copied. Either way, a NUL and 16 readable bytes follow the text
// (codec::PaddedJson).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/codec/encode.h"

namespace thrift_call {

class MappedText {
 public:
  // "-": standard input; "@path": that file; anything else: the text itself.
  // Throws as read_argument_text does (Usage when unreadable, Input past
  // kMaxWholeInput).
  static MappedText from_argument(const std::string& argument);
  // A file by name ("-": standard input), as read_input_bytes reads it.
  static MappedText from_file(const std::string& path);
  static MappedText from_text(std::string text);

  MappedText(MappedText&& other) noexcept;
  MappedText& operator=(MappedText&&) = delete;
  MappedText(const MappedText&) = delete;
  ~MappedText();

  std::string_view text() const { return text_; }
  codec::PaddedJson padded() const;
  // Lets go of the pages before `offset` (a mapped file only): reading them
  // again maps them again.
  void release_before(size_t offset) const;

 private:
  MappedText() = default;

  std::string owned_;    // with padding, when not mapped
  void* map_ = nullptr;  // the reserved range: the file's pages, then one of zeros
  size_t map_size_ = 0;
  std::string_view text_;
};

}  // namespace thrift_call
