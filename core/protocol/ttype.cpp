#include "core/protocol/ttype.h"

#include <cstdio>
#include <limits>

#include "base/error.h"

namespace thrift_call::protocol {

const char* to_string(TType type) {
  switch (type) {
    case TType::Stop: return "stop";
    case TType::Void: return "void";
    case TType::Bool: return "bool";
    case TType::Byte: return "i8";
    case TType::Double: return "double";
    case TType::I16: return "i16";
    case TType::I32: return "i32";
    case TType::I64: return "i64";
    case TType::String: return "string";
    case TType::Struct: return "struct";
    case TType::Map: return "map";
    case TType::Set: return "set";
    case TType::List: return "list";
    case TType::Uuid: return "uuid";
  }
  return "?";
}

std::optional<TType> parse_ttype(std::string_view name) {
  static constexpr TType kAll[] = {TType::Stop,   TType::Void,   TType::Bool, TType::Byte,
                                   TType::Double, TType::I16,    TType::I32,  TType::I64,
                                   TType::String, TType::Struct, TType::Map,  TType::Set,
                                   TType::List,   TType::Uuid};
  for (TType t : kAll) {
    if (name == to_string(t)) return t;
  }
  if (name == "byte") return TType::Byte;
  if (name == "binary") return TType::String;
  return std::nullopt;
}

const char* to_string(MessageType type) {
  switch (type) {
    case MessageType::Call: return "call";
    case MessageType::Reply: return "reply";
    case MessageType::Exception: return "exception";
    case MessageType::Oneway: return "oneway";
  }
  return "?";
}

bool is_valid_message_type(int64_t id) { return id >= 1 && id <= 4; }

void throw_read_error(size_t offset, std::string message) {
  throw Error(ErrorKind::Protocol, std::move(message), "byte " + std::to_string(offset));
}

void throw_input_ended(size_t offset, std::string message) {
  throw InputEnded(ErrorKind::Protocol, std::move(message), "byte " + std::to_string(offset));
}

namespace detail {

std::string hex_byte(uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", b);
  return buf;
}

int32_t checked_string_length(size_t size) {
  if (size > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    throw Error(ErrorKind::Input, "a string of " + std::to_string(size) +
                                      " bytes is too long for Thrift (at most 2147483647)");
  }
  return static_cast<int32_t>(size);
}


void throw_truncated(size_t offset, const char* what, size_t needed, size_t left) {
  throw_input_ended(offset, std::string("input ends inside ") + what + ": needs " +
                               std::to_string(needed) + " bytes, " + std::to_string(left) +
                               " left");
}

void throw_bad_size(size_t offset, const char* what, int64_t size, int64_t limit, size_t left,
                    int64_t min_bytes_each) {
  std::string msg = std::string(what) + " size " + std::to_string(size);
  if (size < 0) {
    msg += " is negative";
  } else if (size > limit) {
    msg += " exceeds the limit of " + std::to_string(limit);
  } else {
    // Within the limits but past the end of what has arrived.
    if (min_bytes_each == 1) {
      msg += " is larger than the " + std::to_string(left) + " bytes left";
    } else {
      msg += " cannot fit in the " + std::to_string(left) + " bytes left (each takes at least " +
             std::to_string(min_bytes_each) + ")";
    }
    throw_input_ended(offset, std::move(msg));
  }
  throw_read_error(offset, std::move(msg));
}

void throw_too_deep(size_t offset, int max_depth) {
  throw_read_error(offset, "nesting deeper than " + std::to_string(max_depth) + " levels");
}

}  // namespace detail
}  // namespace thrift_call::protocol
