// JsonMessageEnd: where one unframed TJSONProtocol message ends, on a stream
// whose bytes arrive in pieces, without reading it from its start again.
//
// A TJSONProtocol message is one JSON array, [1,"name",1,0,{...}], so its end
// is where its brackets close, outside strings. Only the brackets are
// followed here (the state is the nesting depth and whether a string or an
// escape is open); the message is read by JsonReader once it is all there.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/protocol/ttype.h"

namespace thrift_call::protocol {

class JsonMessageEnd {
 public:
  explicit JsonMessageEnd(const ReadLimits& limits) : limits_(limits) {}

  // As ResumableSkip::feed: the message's size once it is all there.
  std::optional<size_t> feed(std::string_view input) {
    for (; scanned_ < input.size(); ++scanned_) {
      char c = input[scanned_];
      if (in_string_) {
        if (escaped_) escaped_ = false;
        else if (c == '\\') escaped_ = true;
        else if (c == '"') in_string_ = false;
        continue;
      }
      if (depth_ == 0 && c != '[') {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        throw_read_error(scanned_, "a TJSONProtocol message starts with '['");
      }
      switch (c) {
        case '"': in_string_ = true; break;
        case '[':
        case '{':
          // The envelope's array and the message's struct, then its values.
          if (++depth_ > limits_.max_depth + 2) detail::throw_too_deep(scanned_, limits_.max_depth);
          break;
        case ']':
        case '}':
          if (--depth_ == 0) return ++scanned_;
          break;
        default: break;
      }
    }
    return std::nullopt;
  }

  size_t committed() const { return scanned_; }

 private:
  ReadLimits limits_;
  size_t scanned_ = 0;
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

}  // namespace thrift_call::protocol
