#include "core/codec/encode.h"

// Strings are scanned 16 bytes at a time where the CPU has SSE2 (every
// x86-64 does); RapidJSON leaves that to the includer.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <optional>
#include <unordered_set>
#include <vector>

#include "base/error.h"
#include "core/codec/base64.h"
#include "core/codec/json_parse.h"
#include "core/codec/json_preview.h"
#include "core/codec/json_text.h"
#include "core/codec/raw_type.h"
#include "core/codec/wire_type.h"
#include "core/idl_views/const_json.h"
#include "core/protocol/binary.h"
#include "core/protocol/compact.h"
#include "core/protocol/json.h"
#include "idl/closest_names.h"

namespace thrift_call::codec {

using protocol::TType;

namespace {

// The deepest nesting of structs and containers encoded (--max-depth's default).
constexpr int kMaxDepth = 64;
// The most of a key an error's path shows.
constexpr size_t kKeyShown = 64;

// One JSON scalar, from text or from a tree.
struct Scalar {
  enum class Kind : uint8_t { Null, Bool, Signed, Unsigned, Real, String };
  Kind kind = Kind::Null;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  std::string_view s;

  Json to_json() const {
    switch (kind) {
      case Kind::Null:
        return nullptr;
      case Kind::Bool:
        return b;
      case Kind::Signed:
        return i;
      case Kind::Unsigned:
        return u;
      case Kind::Real:
        return d;
      case Kind::String:
        return std::string(s);
    }
    return nullptr;
  }
  static Scalar boolean(bool v) {
    Scalar out;
    out.kind = Kind::Bool;
    out.b = v;
    return out;
  }
  static Scalar signed_integer(int64_t v) {
    Scalar out;
    out.kind = Kind::Signed;
    out.i = v;
    return out;
  }
  static Scalar unsigned_integer(uint64_t v) {
    Scalar out;
    out.kind = Kind::Unsigned;
    out.u = v;
    return out;
  }
  static Scalar real(double v) {
    Scalar out;
    out.kind = Kind::Real;
    out.d = v;
    return out;
  }
  static Scalar text(std::string_view v) {
    Scalar out;
    out.kind = Kind::String;
    out.s = v;
    return out;
  }
};

std::string shown(const Scalar& v) { return json_preview(v.to_json(), 40); }

// A tree source's mark is the address of the value's node.
std::string preview_tree_value(size_t mark) { return json_preview(*reinterpret_cast<const Json*>(mark)); }

// What a value is encoded as: typed by the IDL, by a raw key, or a struct
// given by its definition alone (encode_struct's root).
struct Slot {
  const idl::Type* idl = nullptr;          // its true type
  const RawType* raw = nullptr;            // raw notation
  const idl::StructDef* schema = nullptr;  // with idl and raw null: this struct (nullptr: raw fields)

  static Slot of(const idl::Type& type) { return Slot{type.true_type(), nullptr, nullptr}; }
  static Slot of(const RawType& type) { return Slot{nullptr, &type, nullptr}; }

  TType wire() const {
    if (idl) return wire_type(*idl);
    return raw ? raw->wire : TType::Struct;
  }
  bool encodable() const {
    return !idl || (idl->kind != idl::TypeKind::Void && idl->kind != idl::TypeKind::Typedef &&
                    idl->kind != idl::TypeKind::Named);
  }
  bool binary() const { return idl ? idl->kind == idl::TypeKind::Binary : raw && raw->binary; }
  const idl::StructDef* struct_schema() const { return idl ? idl->struct_def : raw ? nullptr : schema; }
  Slot elem() const { return idl ? of(*idl->elem) : of(*raw->elem); }
  Slot key() const { return idl ? of(*idl->key) : of(*raw->key); }
  Slot value() const { return idl ? of(*idl->value) : of(*raw->value); }
  // A map that may be a JSON object: its keys are strings, enums or integers.
  bool object_keys() const {
    if (idl) return map_keys_are_object_keys(*idl->key);
    TType k = raw->key->wire;
    return k == TType::String || k == TType::Byte || k == TType::I16 || k == TType::I32 || k == TType::I64;
  }
  // "expected <this>" when the JSON gives something else.
  std::string what() const {
    switch (wire()) {
      case TType::Struct: {
        const idl::StructDef* s = struct_schema();
        return s ? "an object for " + s->name : std::string("an object of raw fields");
      }
      case TType::List:
        return "a list (JSON array)";
      case TType::Set:
        return "a set (JSON array)";
      case TType::Map:
        return "a map (JSON object or array of [key, value] pairs)";
      default:
        return protocol::to_string(wire());
    }
  }
};

// One field of a struct being written: where its bytes are, so that a
// struct whose keys came out of id order can be put in order at its end.
struct FieldSpan {
  int16_t id = 0;
  TType wire = TType::Stop;
  bool bool_value = false;  // a bool field's value (compact writes it in the field's header)
  size_t value_begin = 0;   // after the field's header
  size_t end = 0;           // the value's end, before the field's end
  std::string key;          // as the JSON gave it, for "given twice"
};

enum class FrameKind : uint8_t { Struct, List, Map, MapPairs, Pair };

// An open struct or container, and which of its members is being read.
struct Frame {
  FrameKind kind = FrameKind::Struct;
  Slot slot;
  size_t mark = 0;  // where its JSON value starts, for a quote of it in an error

  // The member being read, for the error's path.
  bool child_active = false;
  std::string key;
  size_t index = 0;

  // Struct.
  const idl::StructDef* schema = nullptr;
  size_t body_begin = 0;  // after write_struct_begin
  int32_t max_id = 0;
  bool in_order = true;
  std::vector<FieldSpan> spans;
  uint64_t given_first = 0;      // IDL fields 0 to 63 the JSON named
  std::vector<bool> given_rest;  // and the others
  Slot field_slot;
  const idl::Field* field = nullptr;  // null: a raw key
  int16_t field_id = 0;
  std::optional<RawKey> raw_key;

  // Containers.
  size_t header = 0;  // the writer's mark of the size to patch
  int64_t count = 0;
  std::unordered_set<std::string> seen_keys;  // a map given as an object

  void start_struct(const idl::StructDef* s) {
    schema = s;
    max_id = INT32_MIN;
    in_order = true;
    spans.clear();
    given_first = 0;
    size_t n = s ? s->fields.size() : 0;
    given_rest.assign(n > 64 ? n - 64 : 0, false);
  }
  void mark_given(size_t i) {
    if (i < 64) {
      given_first |= uint64_t{1} << i;
    } else {
      given_rest[i - 64] = true;
    }
  }
  bool is_given(size_t i) const { return i < 64 ? (given_first >> i & 1) != 0 : bool(given_rest[i - 64]); }
};

// Where the encoder is, what went wrong there, and the JSON values' rules,
// apart from the writer.
class EncodeErrors {
 public:
  using Preview = std::function<std::string(size_t mark)>;

  EncodeErrors(Preview preview, const EncodeErrors* outer)
      : frames_(outer ? own_frames_.emplace() : reused_frames()), preview_(std::move(preview)), outer_(outer) {}

  // "$.person.ids[3]": the open frames' members being read.
  std::string path() const {
    std::string out = outer_ ? outer_->path() : "$";
    for (size_t i = 0; i < depth_; ++i) {
      const Frame& f = frames_[i];
      if (!f.child_active) break;
      if (f.kind == FrameKind::Struct || f.kind == FrameKind::Map) {
        out += '.';
        // A key from the input may be of any length: the path shows its start.
        size_t cut = f.key.size() <= kKeyShown ? f.key.size() : kKeyShown - 3;
        while (cut < f.key.size() && cut > 0 && (static_cast<unsigned char>(f.key[cut]) & 0xC0) == 0x80) --cut;
        out.append(f.key, 0, cut);
        if (cut < f.key.size()) out += "...";
      } else {
        out += "[" + std::to_string(f.index) + "]";
      }
    }
    return out;
  }

 protected:
  [[noreturn]] void fail(const std::string& message) const { throw Error(ErrorKind::Input, message, path()); }
  [[noreturn]] void expected(const std::string& what, const Scalar& got) const {
    fail("expected " + what + ", got " + shown(got));
  }
  [[noreturn]] void expected_at(const std::string& what, size_t mark) const {
    fail("expected " + what + ", got " + preview_(mark));
  }

  // An integer from a JSON number or a decimal string, within [lo, hi].
  int64_t integer(const Scalar& v, int64_t lo, int64_t hi, const char* type_name) const {
    int64_t n = 0;
    switch (v.kind) {
      case Scalar::Kind::Signed:
        n = v.i;
        break;
      case Scalar::Kind::Unsigned:
        if (v.u > static_cast<uint64_t>(INT64_MAX)) fail(std::string(type_name) + " out of range: " + shown(v));
        n = static_cast<int64_t>(v.u);
        break;
      case Scalar::Kind::Real:
        if (!(v.d == std::floor(v.d)) || v.d < -9.2e18 || v.d > 9.2e18) expected(type_name, v);
        n = static_cast<int64_t>(v.d);
        break;
      case Scalar::Kind::String: {
        auto res = std::from_chars(v.s.data(), v.s.data() + v.s.size(), n);
        if (res.ec != std::errc() || res.ptr != v.s.data() + v.s.size()) expected(type_name, v);
        break;
      }
      default:
        expected(type_name, v);
    }
    if (n < lo || n > hi)
      fail(std::string(type_name) + " out of range: " + std::to_string(n) + " (" + std::to_string(lo) + " to " +
           std::to_string(hi) + ")");
    return n;
  }

  double real(const Scalar& v) const {
    switch (v.kind) {
      case Scalar::Kind::Signed:
        return static_cast<double>(v.i);
      case Scalar::Kind::Unsigned:
        return static_cast<double>(v.u);
      case Scalar::Kind::Real:
        return v.d;
      case Scalar::Kind::String:
        if (v.s == "NaN") return std::nan("");
        if (v.s == "Infinity") return HUGE_VAL;
        if (v.s == "-Infinity") return -HUGE_VAL;
        break;
      default:
        break;
    }
    expected("double", v);
  }

  std::array<uint8_t, 16> uuid(const Scalar& v) const {
    if (v.kind != Scalar::Kind::String) expected("uuid", v);
    std::string_view s = v.s;
    if (s.size() == 38 && s.front() == '{' && s.back() == '}') s = s.substr(1, 36);
    std::array<uint8_t, 16> out{};
    size_t byte = 0;
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (s.size() != 36) expected("uuid (8-4-4-4-12 hex digits)", v);
    for (size_t i = 0; i < s.size();) {
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (s[i] != '-') expected("uuid (8-4-4-4-12 hex digits)", v);
        ++i;
        continue;
      }
      int hi = hex(s[i]), lo = hex(s[i + 1]);
      if (hi < 0 || lo < 0) expected("uuid (8-4-4-4-12 hex digits)", v);
      out[byte++] = static_cast<uint8_t>(hi << 4 | lo);
      i += 2;
    }
    return out;
  }

  int32_t enum_value(const idl::EnumDef& e, const Scalar& v) const {
    if (v.kind == Scalar::Kind::String) {
      std::string_view bare = v.s;
      if (bare.size() > e.name.size() && bare.substr(0, e.name.size()) == e.name && bare[e.name.size()] == '.')
        bare.remove_prefix(e.name.size() + 1);
      if (const idl::EnumValue* ev = e.find(bare)) return ev->value;
      bool numeric = !v.s.empty() && (std::isdigit(static_cast<unsigned char>(v.s[0])) || v.s[0] == '-');
      if (!numeric)
        fail("\"" + text_preview(v.s) + "\" is not a value of enum " + e.name +
             idl::did_you_mean_or_list(e.value_names(), bare, "values"));
    }
    return static_cast<int32_t>(integer(v, INT32_MIN, INT32_MAX, ("enum " + e.name).c_str()));
  }

  // The open frames, outermost first. A deque: a frame's address (which a
  // raw key's type is reached through) stays while frames open above it.
  // An encoder writing a field's default (which runs inside another) has
  // its own; the others share one a thread, kept from one encode to the
  // next, so that a batch's lines, of one shape, allocate nothing here.
  static std::deque<Frame>& reused_frames() {
    thread_local std::deque<Frame> frames;
    return frames;
  }
  std::optional<std::deque<Frame>> own_frames_;
  std::deque<Frame>& frames_;
  size_t depth_ = 0;  // frames in use
  int nesting_ = 0;   // structs and containers open (a map's pairs not counted)
  Preview preview_;
  const EncodeErrors* outer_;  // the encoder whose field default this one writes
};

// JSON events in, wire bytes out through `Writer`.
template <class Writer>
class JsonToWire : public EncodeErrors {
 public:
  JsonToWire(Writer& w, Slot root, Preview preview, const EncodeErrors* outer = nullptr)
      : EncodeErrors(std::move(preview), outer), w_(w), out_(w.output()), root_(root) {}

  void scalar(const Scalar& v) {
    if (depth_ > 0) {
      Frame& f = top();
      if (f.kind == FrameKind::Struct && f.field && v.kind == Scalar::Kind::Null) {
        // A named field given as null is left out.
        f.child_active = false;
        return;
      }
      if (f.kind == FrameKind::MapPairs) {
        begin_pair(f);
        expected("a [key, value] pair", v);
      }
    }
    Slot s = begin_value();
    write_scalar(s, v);
    if (depth_ > 0 && top().kind == FrameKind::Struct && s.wire() == TType::Bool) top().spans.back().bool_value = v.b;
    end_value();
  }

  void key(std::string_view key) {
    Frame& f = top();
    f.key.assign(key);
    f.child_active = true;
    if (f.kind == FrameKind::Struct) {
      struct_key(f);
    } else {
      map_key(f);
    }
  }

  void start_object(size_t mark) {
    if (depth_ > 0 && top().kind == FrameKind::MapPairs) {
      begin_pair(top());
      expected_at("a [key, value] pair", mark);
    }
    Slot s = begin_value();
    TType wire = s.wire();
    if (wire == TType::Struct) {
      enter();
      Frame& f = push(FrameKind::Struct, s, mark);
      f.start_struct(s.struct_schema());
      w_.write_struct_begin();
      f.body_begin = out_.size();
    } else if (wire == TType::Map) {
      if (!s.object_keys()) expected_at("an array of [key, value] pairs (the keys are not strings or integers)", mark);
      enter();
      Frame& f = push(FrameKind::Map, s, mark);
      f.header = w_.begin_map_unsized(s.key().wire(), s.value().wire());
      f.seen_keys.clear();
    } else {
      expected_at(s.what(), mark);
    }
  }

  void end_object() {
    Frame& f = top();
    if (f.kind == FrameKind::Struct) {
      finish_struct(f);
    } else {
      w_.end_map_sized(f.header, f.slot.key().wire(), f.slot.value().wire(), static_cast<int32_t>(f.count));
      w_.write_map_end();
      leave();
    }
    --depth_;
    end_value();
  }

  void start_array(size_t mark) {
    if (depth_ > 0 && top().kind == FrameKind::MapPairs) {
      begin_pair(top());
      push(FrameKind::Pair, Slot(), mark);
      return;
    }
    Slot s = begin_value();
    TType wire = s.wire();
    if (wire == TType::List || wire == TType::Set) {
      enter();
      Frame& f = push(FrameKind::List, s, mark);
      f.header = w_.begin_list_unsized(s.elem().wire());
    } else if (wire == TType::Map) {
      enter();
      Frame& f = push(FrameKind::MapPairs, s, mark);
      f.header = w_.begin_map_unsized(s.key().wire(), s.value().wire());
    } else {
      expected_at(s.what(), mark);
    }
  }

  void end_array() {
    Frame& f = top();
    switch (f.kind) {
      case FrameKind::List:
        w_.end_list_sized(f.header, f.slot.elem().wire(), static_cast<int32_t>(f.count));
        f.slot.wire() == TType::List ? w_.write_list_end() : w_.write_set_end();
        leave();
        break;
      case FrameKind::MapPairs:
        w_.end_map_sized(f.header, f.slot.key().wire(), f.slot.value().wire(), static_cast<int32_t>(f.count));
        w_.write_map_end();
        leave();
        break;
      case FrameKind::Pair:
        if (f.count != 2) {
          f.child_active = false;
          expected_at("a [key, value] pair", f.mark);
        }
        --depth_;
        top().child_active = false;
        return;
      default:
        break;
    }
    --depth_;
    end_value();
  }

 private:
  Frame& top() { return frames_[depth_ - 1]; }

  Frame& push(FrameKind kind, Slot slot, size_t mark) {
    if (depth_ == frames_.size()) frames_.emplace_back();
    Frame& f = frames_[depth_++];
    f.kind = kind;
    f.slot = slot;
    f.mark = mark;
    f.child_active = false;
    f.count = 0;
    return f;
  }

  void enter() {
    if (++nesting_ > kMaxDepth) fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  void leave() { --nesting_; }

  void count_one(Frame& f) {
    if (++f.count > INT32_MAX) fail("too many elements");
  }

  // The next element of a map given as [key, value] pairs.
  void begin_pair(Frame& pairs) {
    pairs.index = static_cast<size_t>(pairs.count);
    pairs.child_active = true;
    count_one(pairs);
  }

  // Where the value that starts now goes, and its type.
  Slot begin_value() {
    if (depth_ == 0) {
      if (!root_.encodable()) fail("cannot encode a value of this type");
      return root_;
    }
    Frame& f = top();
    Slot s;
    switch (f.kind) {
      case FrameKind::Struct:
        begin_field(f);
        s = f.field_slot;
        break;
      case FrameKind::List:
        f.index = static_cast<size_t>(f.count);
        f.child_active = true;
        count_one(f);
        s = f.slot.elem();
        break;
      case FrameKind::Map:
        s = f.slot.value();
        break;
      case FrameKind::Pair: {
        Frame& pairs = frames_[depth_ - 2];
        if (f.count == 2) {
          f.child_active = false;
          expected_at("a [key, value] pair", f.mark);
        }
        f.index = static_cast<size_t>(f.count++);
        f.child_active = true;
        s = f.index == 0 ? pairs.slot.key() : pairs.slot.value();
        break;
      }
      case FrameKind::MapPairs:
        break;  // handled by the events
    }
    if (!s.encodable()) fail("cannot encode a value of this type");
    return s;
  }

  // The value just written is complete.
  void end_value() {
    if (depth_ == 0) return;
    Frame& f = top();
    if (f.kind == FrameKind::Struct) {
      f.spans.back().end = out_.size();  // the value's end: put_in_id_order writes the field's end itself
      w_.write_field_end();
    }
    if (f.kind != FrameKind::Pair) f.child_active = false;
  }

  void write_scalar(const Slot& s, const Scalar& v) {
    if (s.idl && s.idl->kind == idl::TypeKind::Enum) {
      w_.write_i32(enum_value(*s.idl->enum_def, v));
      return;
    }
    TType wire = s.wire();
    switch (wire) {
      case TType::Bool:
        if (v.kind != Scalar::Kind::Bool) expected("bool", v);
        w_.write_bool(v.b);
        return;
      case TType::Byte:
        w_.write_byte(static_cast<int8_t>(integer(v, INT8_MIN, INT8_MAX, "i8")));
        return;
      case TType::I16:
        w_.write_i16(static_cast<int16_t>(integer(v, INT16_MIN, INT16_MAX, "i16")));
        return;
      case TType::I32:
        w_.write_i32(static_cast<int32_t>(integer(v, INT32_MIN, INT32_MAX, "i32")));
        return;
      case TType::I64:
        w_.write_i64(integer(v, INT64_MIN, INT64_MAX, "i64"));
        return;
      case TType::Double:
        w_.write_double(real(v));
        return;
      case TType::Uuid:
        w_.write_uuid(uuid(v));
        return;
      case TType::String:
        if (s.binary()) {
          if (v.kind != Scalar::Kind::String) expected("binary (a base64 string)", v);
          auto bytes = base64_decode(v.s);
          if (!bytes) expected("binary (a base64 string)", v);
          w_.write_binary(*bytes);
        } else {
          if (v.kind != Scalar::Kind::String) expected("string", v);
          w_.write_string(v.s);
        }
        return;
      case TType::Struct:
      case TType::List:
      case TType::Set:
      case TType::Map:
        expected(s.what(), v);
      default: break;
    }
    fail(std::string("cannot encode a ") + protocol::to_string(wire) + " here");
  }

  // A struct's key: an IDL field's name or a raw "id:type".
  void struct_key(Frame& f) {
    const idl::StructDef* schema = f.schema;
    if (const idl::Field* field = schema ? schema->field_by_name(f.key) : nullptr) {
      size_t index = static_cast<size_t>(field - schema->fields.data());
      // Also when its first value was null, which wrote nothing.
      if (f.is_given(index)) {
        f.child_active = false;
        fail("field id " + std::to_string(field->id) + " given twice (\"" + field->name + "\" and \"" + field->name +
             "\")");
      }
      f.mark_given(index);
      f.field = field;
      f.field_slot = Slot::of(*field->type);
      f.field_id = static_cast<int16_t>(field->id);
      return;
    }
    std::optional<RawKey> raw = parse_raw_key(f.key);
    if (!raw) {
      if (!schema) fail("a raw field key is \"id:type\", e.g. \"1:string\"");
      fail("unknown field \"" + text_preview(f.key) + "\" of " + schema->name +
           idl::did_you_mean_or_list(schema->field_names(), f.key, "fields"));
    }
    // A raw key may give a field the IDL declares another wire type (to see
    // how a peer skips it). In the same wire type it would only be the
    // field by another name, and a wrong one where the wire cannot tell
    // types apart: "1:string" for a binary field is text where the JSON
    // protocol puts base64, which no reader of the IDL can read back.
    if (const idl::Field* declared = schema ? schema->field_by_id(raw->id) : nullptr;
        declared && wire_type(*declared->type) == raw->type.wire)
      fail("field " + std::to_string(raw->id) + " of " + schema->name + " is \"" + declared->name +
           "\" in the IDL, of that wire type: give it by its name");
    f.raw_key = std::move(raw);
    f.field = nullptr;
    f.field_slot = Slot::of(f.raw_key->type);
    f.field_id = f.raw_key->id;
  }

  // The field whose key was read starts: its header is written.
  void begin_field(Frame& f) {
    if (f.field_id <= f.max_id) {
      f.in_order = false;
      for (const FieldSpan& other : f.spans)
        if (other.id == f.field_id) {
          f.child_active = false;
          fail("field id " + std::to_string(f.field_id) + " given twice (\"" + text_preview(other.key) + "\" and \"" +
               text_preview(f.key) + "\")");
        }
    } else {
      f.max_id = f.field_id;
    }
    FieldSpan& span = f.spans.emplace_back();
    span.id = f.field_id;
    span.wire = f.field_slot.wire();
    span.key.assign(f.key);
    w_.write_field_begin(span.wire, span.id);
    span.value_begin = out_.size();
  }

  void map_key(Frame& f) {
    if (!f.seen_keys.insert(f.key).second) fail("the key \"" + text_preview(f.key) + "\" is given twice");
    count_one(f);
    Slot k = f.slot.key();
    if (!k.encodable()) fail("cannot encode a value of this type");
    write_scalar(k, Scalar::text(f.key));
  }

  void finish_struct(Frame& f) {
    if (const idl::StructDef* schema = f.schema) {
      bool is_union = schema->kind == idl::StructKind::Union;
      for (const idl::Field& field : schema->fields) {
        if (f.is_given(static_cast<size_t>(&field - schema->fields.data()))) continue;
        if (field.default_value && !is_union) {
          write_default(f, field);
        } else if (field.requiredness == idl::Requiredness::Required) {
          fail("missing required field \"" + field.name + "\" of " + schema->name);
        }
      }
      if (is_union && f.spans.size() != 1)
        fail("a union (" + schema->name + ") takes exactly one field, got " + std::to_string(f.spans.size()));
    }
    if (!f.in_order) put_in_id_order(f);
    w_.write_field_stop();
    w_.write_struct_end();
    leave();
  }

  // An IDL default: converted to the JSON mapping and encoded as input is,
  // so there is one way values reach the wire.
  void write_default(Frame& f, const idl::Field& field) {
    f.key = field.name;
    f.child_active = true;
    f.field = &field;
    f.field_slot = Slot::of(*field.type);
    f.field_id = static_cast<int16_t>(field.id);
    begin_field(f);
    Json value = const_to_json(*field.default_value, *field.type);
    JsonToWire<Writer> nested(
        w_, f.field_slot, preview_tree_value, this);
    nested.walk(value);
    // put_in_id_order writes a bool field's value itself.
    if (value.is_boolean()) f.spans.back().bool_value = value.get<bool>();
    end_value();
  }

 public:
  // A tree's events, in its order.
  void walk(const Json& v) {
    switch (v.type()) {
      case Json::value_t::object:
        start_object(reinterpret_cast<size_t>(&v));
        for (auto it = v.begin(); it != v.end(); ++it) {
          key(it.key());
          walk(it.value());
        }
        end_object();
        return;
      case Json::value_t::array:
        start_array(reinterpret_cast<size_t>(&v));
        for (const Json& e : v) walk(e);
        end_array();
        return;
      case Json::value_t::boolean:
        scalar(Scalar::boolean(v.get<bool>()));
        return;
      case Json::value_t::number_integer:
        scalar(Scalar::signed_integer(v.get<int64_t>()));
        return;
      case Json::value_t::number_unsigned:
        scalar(Scalar::unsigned_integer(v.get<uint64_t>()));
        return;
      case Json::value_t::number_float:
        scalar(Scalar::real(v.get<double>()));
        return;
      case Json::value_t::string:
        scalar(Scalar::text(v.get_ref<const std::string&>()));
        return;
      default:
        scalar(Scalar());
        return;
    }
  }

 private:
  // The struct's fields came out of id order (JSON keys in another order,
  // or defaults added at the end): they are written again in id order,
  // each field's value bytes moved as they are (a value's bytes do not
  // depend on where it stands; its field header, in compact, does).
  void put_in_id_order(Frame& f) {
    std::stable_sort(f.spans.begin(), f.spans.end(),
                     [](const FieldSpan& a, const FieldSpan& b) { return a.id < b.id; });
    std::string body;
    Writer writer(body);
    writer.write_struct_begin();
    size_t head = body.size();
    for (const FieldSpan& span : f.spans) {
      writer.write_field_begin(span.wire, span.id);
      if (span.wire == TType::Bool) {
        writer.write_bool(span.bool_value);
      } else {
        body.append(out_, span.value_begin, span.end - span.value_begin);
      }
      writer.write_field_end();
    }
    out_.replace(f.body_begin, out_.size() - f.body_begin, body, head, std::string::npos);
  }

  Writer& w_;
  std::string& out_;
  Slot root_;
};

// A number as nlohmann reads it: integers unsigned when not negative,
// signed when negative, doubles past 64 bits. RapidJSON gives numbers as
// text (kParseNumbersAsStringsFlag): its own conversion gets some doubles
// wrong (184467440737095516156 read as 1.7e-18 with its full-precision
// flag), while from_chars rounds correctly, as nlohmann's strtod does.
bool read_number(std::string_view text, Scalar& out) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (std::find_if(begin, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) == end) {
    if (text[0] != '-') {
      if (std::from_chars(begin, end, out.u).ec == std::errc()) {
        out.kind = Scalar::Kind::Unsigned;
        return true;
      }
    } else if (std::from_chars(begin, end, out.i).ec == std::errc()) {
      out.kind = Scalar::Kind::Signed;
      return true;
    }
  }
  out.kind = Scalar::Kind::Real;
  auto [stop, error] = std::from_chars(begin, end, out.d);
  if (error == std::errc() && stop == end) return true;
  if (error != std::errc::result_out_of_range) return false;
  // Past a double's range: nlohmann (strtod) takes an underflow as 0 or a
  // denormal and refuses an overflow.
  out.d = std::strtod(std::string(text).c_str(), nullptr);
  if (std::isfinite(out.d)) return true;
  throw nlohmann::json::out_of_range::create(406, "number overflow parsing '" + std::string(text) + "'", nullptr);
}

// RapidJSON's SAX events, from text, into the encoder.
template <class Writer>
class TextEvents : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TextEvents<Writer>> {
 public:
  TextEvents(JsonToWire<Writer>& to, const rapidjson::StringStream& stream, const PaddedJson& input)
      : to_(to), stream_(stream), input_(input) {}

  bool Null() {
    to_.scalar(Scalar());
    return true;
  }
  bool Bool(bool b) {
    to_.scalar(Scalar::boolean(b));
    return true;
  }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    Scalar v;
    if (!read_number(std::string_view(text, length), v)) return false;
    to_.scalar(v);
    return true;
  }
  // RapidJSON's own UTF-8 check reads a byte at a time and turns off its
  // SIMD string scan, so strings are checked here instead.
  bool String(const char* text, rapidjson::SizeType length, bool) {
    std::string_view s(text, length);
    if (!is_valid_utf8(s)) return false;
    to_.scalar(Scalar::text(s));
    release();
    return true;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    std::string_view s(text, length);
    if (!is_valid_utf8(s)) return false;
    to_.key(s);
    return true;
  }
  bool StartObject() {
    to_.start_object(stream_.Tell());
    release();
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    to_.end_object();
    return true;
  }
  bool StartArray() {
    to_.start_array(stream_.Tell());
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    to_.end_array();
    return true;
  }

 private:
  // Every so often, the pages read so far may go.
  void release() {
    static constexpr size_t kReleaseStep = size_t{8} << 20;
    size_t at = stream_.Tell();
    if (at < next_release_ || !input_.release_before) return;
    input_.release_before(at);
    next_release_ = at + kReleaseStep;
  }

  JsonToWire<Writer>& to_;
  const rapidjson::StringStream& stream_;
  const PaddedJson& input_;
  size_t next_release_ = size_t{8} << 20;
};

template <class Writer>
void encode_tree(Writer& writer, Slot root, const Json& value) {
  JsonToWire<Writer> to(writer, root, preview_tree_value);
  to.walk(value);
}

template <class Writer>
void encode_text(Writer& writer, Slot root, const PaddedJson& input) {
  std::string_view text = input.text;
  // A NUL would end RapidJSON's scan early, and RapidJSON 1.1's SSE2 string
  // scan lets 0x1a-0x1f through: nlohmann names these.
  if (first_forbidden_control_byte(text) != std::string_view::npos) check_json_syntax(text);
  JsonToWire<Writer> to(writer, root, [text](size_t mark) { return json_text_preview(text.substr(mark)); });
  rapidjson::StringStream stream(text.data());
  TextEvents<Writer> events(to, stream, input);
  // Kept: its stack is then allocated once.
  thread_local rapidjson::Reader reader;
  // Iterative: the nesting costs no C++ stack. Numbers as text: see read_number.
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
  rapidjson::ParseResult result;
  try {
    result = reader.Parse<kFlags>(stream, events);
  } catch (const Error&) {
    // Where the text is not JSON, that is the error, as when a tree was
    // parsed before encoding.
    check_json_syntax(text);
    throw;
  }
  if (!result.IsError()) return;
  // RapidJSON stopped: nlohmann, which the messages come from, says why.
  check_json_syntax(text);
  throw Error(ErrorKind::Input, std::string("invalid JSON: ") + rapidjson::GetParseError_En(result.Code()),
              "byte " + std::to_string(result.Offset()));
}

Slot struct_slot(const idl::StructDef* schema) { return Slot{nullptr, nullptr, schema}; }

}  // namespace

template <class Writer>
void encode_struct(Writer& writer, const idl::StructDef* schema, const Json& value) {
  encode_tree(writer, struct_slot(schema), value);
}

template <class Writer>
void encode_struct(Writer& writer, const idl::StructDef* schema, const PaddedJson& text) {
  encode_text(writer, struct_slot(schema), text);
}

template <class Writer>
void encode_value(Writer& writer, const idl::Type& type, const Json& value) {
  encode_tree(writer, Slot::of(type), value);
}

template <class Writer>
void encode_value(Writer& writer, const idl::Type& type, const PaddedJson& text) {
  encode_text(writer, Slot::of(type), text);
}

#define THRIFT_CALL_INSTANTIATE(W)                                              \
  template void encode_struct<W>(W&, const idl::StructDef*, const Json&);       \
  template void encode_struct<W>(W&, const idl::StructDef*, const PaddedJson&); \
  template void encode_value<W>(W&, const idl::Type&, const Json&);             \
  template void encode_value<W>(W&, const idl::Type&, const PaddedJson&);
THRIFT_CALL_INSTANTIATE(protocol::BinaryWriter)
THRIFT_CALL_INSTANTIATE(protocol::CompactWriter)
THRIFT_CALL_INSTANTIATE(protocol::JsonWriter)
#undef THRIFT_CALL_INSTANTIATE

}  // namespace thrift_call::codec
