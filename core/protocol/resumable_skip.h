// ResumableSkip: where one unframed message ends, on a stream whose bytes
// arrive in pieces, without reading it from its start again each time.
//
// It is skip() (skip.h) driven by an explicit stack instead of recursion.
// Each step is one read of the protocol's own reader (an envelope, a field
// header with the start of its value, an element); the stack and the
// committed offset change only once a step has read all it needs. A step
// cut by the end of the input (InputEnded) is simply taken again when more
// bytes come, so the work over a whole message is linear in its size
// whatever the pieces are. Binary and compact only: TJSONProtocol's end is
// found by its brackets (json_message_end.h).
#pragma once

#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/protocol/ttype.h"

namespace thrift_call::protocol {

template <class Reader>
class ResumableSkip {
 public:
  explicit ResumableSkip(const ReadLimits& limits) : limits_(limits) {}

  // `input` holds the message's bytes from its first, as many as have come
  // (the same prefix each time, longer). Returns the message's size once it
  // is all there; nullopt while more is needed. Throws Error (Protocol) on
  // bytes that cannot be the message.
  std::optional<size_t> feed(std::string_view input) {
    Reader r(input, limits_);
    r.resume_at(committed_);
    try {
      if (!started_) {
        r.read_message_begin();
        commit(r);
        started_ = true;
        push(TType::Struct, 0, TType::Stop, TType::Stop);
      }
      while (!stack_.empty()) step(r);
      r.read_message_end();
      return r.offset();
    } catch (const InputEnded&) {
      return std::nullopt;
    }
  }

  // Bytes of the message read and accounted for so far.
  size_t committed() const { return committed_; }

 private:
  struct Level {
    TType type;        // Struct, List, Set or Map
    int64_t left = 0;  // elements still to read (a map counts keys and values)
    TType elem = TType::Stop;   // list or set element; map key
    TType value = TType::Stop;  // map value
    int16_t last_field_id = 0;  // compact: the delta base of the next field header
  };

  static constexpr bool kFieldIds = requires(Reader& r) { r.set_last_field_id(int16_t{0}); };

  void commit(const Reader& r) { committed_ = r.offset(); }

  void push(TType type, int64_t left, TType elem, TType value) {
    // The message's own struct is level 1: as skip(TType::Struct, max_depth + 1).
    if (stack_.size() > static_cast<size_t>(limits_.max_depth)) detail::throw_too_deep(committed_, limits_.max_depth);
    stack_.push_back({type, left, elem, value, 0});
  }

  void step(Reader& r) {
    Level& top = stack_.back();
    if (top.type == TType::Struct) {
      if constexpr (kFieldIds) r.set_last_field_id(top.last_field_id);
      FieldHeader field = r.read_field_begin();
      if (field.type == TType::Stop) {
        commit(r);
        stack_.pop_back();
        return;
      }
      // Read before the value can push a level (and move `top`).
      int16_t field_id = field.id;
      start_value(r, field.type, [&] { stack_.back().last_field_id = field_id; });
      return;
    }
    if (top.left == 0) {
      commit(r);
      stack_.pop_back();
      return;
    }
    TType type = top.type == TType::Map && top.left % 2 == 1 ? top.value : top.elem;
    start_value(r, type, [&] { --stack_.back().left; });
  }

  // Reads a scalar whole, or a container's header; then `account` (the
  // parent's bookkeeping), commits, and pushes the new level, if any. All
  // or nothing: a read cut short changes no state.
  template <class Account>
  void start_value(Reader& r, TType type, Account account) {
    switch (type) {
      case TType::Bool: r.read_bool(); break;
      case TType::Byte: r.read_byte(); break;
      case TType::I16: r.read_i16(); break;
      case TType::I32: r.read_i32(); break;
      case TType::I64: r.read_i64(); break;
      case TType::Double: r.read_double(); break;
      case TType::String: r.read_string(); break;
      case TType::Uuid: r.read_uuid(); break;
      case TType::Struct:
        account();
        commit(r);
        push(TType::Struct, 0, TType::Stop, TType::Stop);
        return;
      case TType::List:
      case TType::Set: {
        ListHeader list = type == TType::List ? r.read_list_begin() : r.read_set_begin();
        account();
        commit(r);
        push(type, list.size, list.elem, TType::Stop);
        return;
      }
      case TType::Map: {
        MapHeader map = r.read_map_begin();
        account();
        commit(r);
        push(TType::Map, int64_t{map.size} * 2, map.key, map.value);
        return;
      }
      case TType::Stop:
      case TType::Void: break;
    }
    account();
    commit(r);
  }

  ReadLimits limits_;
  std::vector<Level> stack_;
  size_t committed_ = 0;
  bool started_ = false;
};

}  // namespace thrift_call::protocol
