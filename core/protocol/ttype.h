// The vocabulary shared by the three wire protocols: Thrift's type ids, message
// types, the headers a reader returns, and the limits every reader enforces.
//
// Typical use, with any of BinaryReader, CompactReader or JsonReader:
//
//   BinaryReader r(bytes, ReadLimits{.max_depth = 32});
//   MessageHeader m = r.read_message_begin();
//   r.read_struct_begin();
//   for (FieldHeader f = r.read_field_begin(); f.type != TType::Stop; f = r.read_field_begin()) {
//     skip(r, f.type, r.limits().max_depth - 1);
//     r.read_field_end();
//   }
//
// Every reader throws thrift_call::Error (kind Protocol, where "byte N") for
// input it cannot decode; see throw_read_error().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace thrift_call::protocol {

// Thrift's own type ids, as the binary protocol puts them on the wire.
enum class TType : uint8_t {
  Stop = 0,
  Void = 1,
  Bool = 2,
  Byte = 3,
  Double = 4,
  I16 = 6,
  I32 = 8,
  I64 = 10,
  String = 11,  // also binary: the wire does not tell them apart
  Struct = 12,
  Map = 13,
  Set = 14,
  List = 15,
  Uuid = 16,
};

// The names raw mode prints and parses: "stop", "void", "bool", "i8",
// "double", "i16", "i32", "i64", "string", "struct", "map", "set", "list", "uuid".
const char* to_string(TType type);
// The inverse of to_string(TType); also accepts "byte" (for i8) and "binary"
// (for string).
std::optional<TType> parse_ttype(std::string_view name);
// True for the 14 ids of TType, Stop and Void included.
constexpr bool is_valid_ttype(uint8_t id) {
  // Bit i set for each id i that TType has.
  constexpr uint32_t kValid = 0x1fd5f;  // 0,1,2,3,4,6,8,10,11,12,13,14,15,16
  return id < 32 && ((kValid >> id) & 1u) != 0;
}
// True for the types a field, element, key or value can have (Bool .. Uuid):
// every TType except Stop and Void.
constexpr bool is_value_ttype(TType type) {
  return type != TType::Stop && type != TType::Void && is_valid_ttype(static_cast<uint8_t>(type));
}

enum class MessageType : uint8_t { Call = 1, Reply = 2, Exception = 3, Oneway = 4 };

// "call", "reply", "exception", "oneway".
const char* to_string(MessageType type);
bool is_valid_message_type(int64_t id);

struct MessageHeader {
  std::string name;
  MessageType type = MessageType::Call;
  int32_t seqid = 0;
};

// type == Stop marks the end of a struct (id is then 0).
struct FieldHeader {
  TType type = TType::Stop;
  int16_t id = 0;
};

// A list or set header. An empty container may report elem == Stop when the
// peer wrote no usable element type.
struct ListHeader {
  TType elem = TType::Stop;
  int32_t size = 0;
};

// An empty map reports key == value == Stop in the compact protocol, which
// does not write the types of an empty map.
struct MapHeader {
  TType key = TType::Stop;
  TType value = TType::Stop;
  int32_t size = 0;
};

// What a reader accepts before it gives up. Sizes above a limit are rejected
// before anything is allocated; so are sizes larger than the rest of the input
// could hold, whatever the limit.
struct ReadLimits {
  // Longest string or binary accepted, in bytes: 64 MiB.
  int64_t string_limit = int64_t{64} << 20;
  // Most elements in one list or set, or entries in one map: 16 Mi.
  int64_t container_limit = int64_t{16} << 20;
  // Deepest nesting of structs and containers. skip() and the codec count it;
  // the compact and JSON readers also bound their own state stacks by it.
  int max_depth = 64;
};

// Throws the Error every reader uses for bad input: kind Protocol, message
// `message`, where "byte <offset>". Out of line, so the hot paths stay small.
[[noreturn]] void throw_read_error(size_t offset, std::string message);

// The input ended before the value did: on a stream, more bytes may still
// come, so a transport reading an unframed reply catches this one and reads
// on; anywhere else it is an ordinary protocol error.
class InputEnded : public Error {
 public:
  using Error::Error;
};
[[noreturn]] void throw_input_ended(size_t offset, std::string message);

namespace detail {

// Cold-path helpers shared by the readers; each throws via throw_read_error.
// "0x1f": a byte in an error message.
std::string hex_byte(uint8_t b);
// A string or binary length as the wire's i32; throws Error (Input) past 2^31-1.
int32_t checked_string_length(size_t size);

[[noreturn]] void throw_truncated(size_t offset, const char* what, size_t needed, size_t left);
[[noreturn]] void throw_bad_size(size_t offset, const char* what, int64_t size, int64_t limit,
                                 size_t left, int64_t min_bytes_each);
[[noreturn]] void throw_too_deep(size_t offset, int max_depth);

// A string or container size must be non-negative, within its limit, and
// small enough that `size` items of at least `min_bytes_each` bytes fit in the
// `left` bytes that remain. Checked before anything is allocated.
inline void check_size(size_t offset, const char* what, int64_t size, int64_t limit,
                       size_t left, int64_t min_bytes_each) {
  if (size < 0 || size > limit ||
      (min_bytes_each > 0 && size > static_cast<int64_t>(left) / min_bytes_each)) {
    throw_bad_size(offset, what, size, limit, left, min_bytes_each);
  }
}

}  // namespace detail
}  // namespace thrift_call::protocol
