// One table of protocol-call sequences, run over every protocol: written with
// our writer, read back with our reader and with skip(); and the same kind of
// sequence from Apache's Python library (golden_protocol.py), whose bytes our
// writer must reproduce and our reader must read.
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/protocol/binary.h"
#include "core/protocol/compact.h"
#include "core/protocol/json.h"
#include "core/protocol/skip.h"
#include "base/error.h"

using namespace thrift_call::protocol;

namespace {

// ---- a sequence of protocol calls --------------------------------------

enum class OpKind {
  MessageBegin, MessageEnd, StructBegin, StructEnd, FieldBegin, FieldEnd, FieldStop,
  MapBegin, MapEnd, ListBegin, ListEnd, SetBegin, SetEnd,
  Bool, Byte, I16, I32, I64, Double, String, Binary, Uuid,
};

struct Op {
  explicit Op(OpKind k, TType a_ = TType::Stop, TType b_ = TType::Stop, int64_t n_ = 0)
      : kind(k), a(a_), b(b_), n(n_) {}

  OpKind kind;
  TType a;    // field type, element or key type
  TType b;    // map value type
  int64_t n;  // field id, size, integer or bool value, seqid
  MessageType message_type = MessageType::Call;
  std::string s;          // string, binary, message name
  double d = 0;
  std::array<uint8_t, 16> uuid{};
};

std::string describe(const Op& op) {
  static const char* const kNames[] = {"message_begin", "message_end", "struct_begin", "struct_end",
                                       "field_begin",   "field_end",   "field_stop",   "map_begin",
                                       "map_end",       "list_begin",  "list_end",     "set_begin",
                                       "set_end",       "bool",        "byte",         "i16",
                                       "i32",           "i64",         "double",       "string",
                                       "binary",        "uuid"};
  return std::string(kNames[static_cast<int>(op.kind)]) + " a=" + to_string(op.a) + " n=" + std::to_string(op.n);
}

// Builds sequences fluently: Seq().struct_begin().field(TType::I32, 1).i32(5)...
struct Seq {
  std::vector<Op> ops;

  Seq& add(Op op) {
    ops.push_back(std::move(op));
    return *this;
  }
  Seq& append(const Seq& other) {
    ops.insert(ops.end(), other.ops.begin(), other.ops.end());
    return *this;
  }
  Seq& message_begin(std::string name, MessageType type, int32_t seqid) {
    Op op(OpKind::MessageBegin);
    op.s = std::move(name);
    op.message_type = type;
    op.n = seqid;
    return add(op);
  }
  Seq& message_end() { return add(Op(OpKind::MessageEnd)); }
  Seq& struct_begin() { return add(Op(OpKind::StructBegin)); }
  Seq& struct_end() { return add(Op(OpKind::StructEnd)); }
  Seq& field(TType type, int16_t id) { return add(Op(OpKind::FieldBegin, type, TType::Stop, id)); }
  Seq& field_end() { return add(Op(OpKind::FieldEnd)); }
  Seq& stop() { return add(Op(OpKind::FieldStop)); }
  Seq& map(TType k, TType v, int32_t size) { return add(Op(OpKind::MapBegin, k, v, size)); }
  Seq& map_end() { return add(Op(OpKind::MapEnd)); }
  Seq& list(TType elem, int32_t size) { return add(Op(OpKind::ListBegin, elem, TType::Stop, size)); }
  Seq& list_end() { return add(Op(OpKind::ListEnd)); }
  Seq& set(TType elem, int32_t size) { return add(Op(OpKind::SetBegin, elem, TType::Stop, size)); }
  Seq& set_end() { return add(Op(OpKind::SetEnd)); }
  Seq& boolean(bool v) { return add(Op(OpKind::Bool, TType::Stop, TType::Stop, v ? 1 : 0)); }
  Seq& i8(int8_t v) { return add(Op(OpKind::Byte, TType::Stop, TType::Stop, v)); }
  Seq& i16(int16_t v) { return add(Op(OpKind::I16, TType::Stop, TType::Stop, v)); }
  Seq& i32(int32_t v) { return add(Op(OpKind::I32, TType::Stop, TType::Stop, v)); }
  Seq& i64(int64_t v) { return add(Op(OpKind::I64, TType::Stop, TType::Stop, v)); }
  Seq& dbl(double v) {
    Op op(OpKind::Double);
    op.d = v;
    return add(op);
  }
  Seq& str(std::string v) {
    Op op(OpKind::String);
    op.s = std::move(v);
    return add(op);
  }
  Seq& bin(std::string v) {
    Op op(OpKind::Binary);
    op.s = std::move(v);
    return add(op);
  }
  Seq& uuid(const std::array<uint8_t, 16>& v) {
    Op op(OpKind::Uuid);
    op.uuid = v;
    return add(op);
  }
  // A whole field holding one value written by `value`.
  template <class F>
  Seq& field_with(TType type, int16_t id, F value) {
    field(type, id);
    value(*this);
    return field_end();
  }
};

template <class Writer>
void write_ops(Writer& w, const std::vector<Op>& ops) {
  for (const Op& op : ops) {
    switch (op.kind) {
      case OpKind::MessageBegin:
        w.write_message_begin({op.s, op.message_type, static_cast<int32_t>(op.n)});
        break;
      case OpKind::MessageEnd: w.write_message_end(); break;
      case OpKind::StructBegin: w.write_struct_begin(); break;
      case OpKind::StructEnd: w.write_struct_end(); break;
      case OpKind::FieldBegin: w.write_field_begin(op.a, static_cast<int16_t>(op.n)); break;
      case OpKind::FieldEnd: w.write_field_end(); break;
      case OpKind::FieldStop: w.write_field_stop(); break;
      case OpKind::MapBegin: w.write_map_begin(op.a, op.b, static_cast<int32_t>(op.n)); break;
      case OpKind::MapEnd: w.write_map_end(); break;
      case OpKind::ListBegin: w.write_list_begin(op.a, static_cast<int32_t>(op.n)); break;
      case OpKind::ListEnd: w.write_list_end(); break;
      case OpKind::SetBegin: w.write_set_begin(op.a, static_cast<int32_t>(op.n)); break;
      case OpKind::SetEnd: w.write_set_end(); break;
      case OpKind::Bool: w.write_bool(op.n != 0); break;
      case OpKind::Byte: w.write_byte(static_cast<int8_t>(op.n)); break;
      case OpKind::I16: w.write_i16(static_cast<int16_t>(op.n)); break;
      case OpKind::I32: w.write_i32(static_cast<int32_t>(op.n)); break;
      case OpKind::I64: w.write_i64(op.n); break;
      case OpKind::Double: w.write_double(op.d); break;
      case OpKind::String: w.write_string(op.s); break;
      case OpKind::Binary: w.write_binary(op.s); break;
      case OpKind::Uuid: w.write_uuid(op.uuid); break;
    }
  }
}

uint64_t bits_of(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}

// Reads `ops` back, checking every value and header against what was written.
template <class Reader>
void read_ops(Reader& r, const std::vector<Op>& ops) {
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    INFO("op " << i << ": " << describe(op) << " at byte " << r.offset());
    switch (op.kind) {
      case OpKind::MessageBegin: {
        MessageHeader h = r.read_message_begin();
        CHECK(h.name == op.s);
        CHECK(h.type == op.message_type);
        CHECK(h.seqid == op.n);
        break;
      }
      case OpKind::MessageEnd: r.read_message_end(); break;
      case OpKind::StructBegin: r.read_struct_begin(); break;
      case OpKind::StructEnd: r.read_struct_end(); break;
      case OpKind::FieldBegin: {
        FieldHeader f = r.read_field_begin();
        REQUIRE(f.type == op.a);
        CHECK(f.id == op.n);
        break;
      }
      case OpKind::FieldEnd: r.read_field_end(); break;
      case OpKind::FieldStop: REQUIRE(r.read_field_begin().type == TType::Stop); break;
      case OpKind::MapBegin: {
        MapHeader m = r.read_map_begin();
        REQUIRE(m.size == op.n);
        // The compact protocol writes no types for an empty map.
        if (op.n > 0 || m.key != TType::Stop) {
          CHECK(m.key == op.a);
          CHECK(m.value == op.b);
        }
        break;
      }
      case OpKind::MapEnd: r.read_map_end(); break;
      case OpKind::ListBegin: {
        ListHeader l = r.read_list_begin();
        REQUIRE(l.size == op.n);
        CHECK(l.elem == op.a);
        break;
      }
      case OpKind::ListEnd: r.read_list_end(); break;
      case OpKind::SetBegin: {
        ListHeader l = r.read_set_begin();
        REQUIRE(l.size == op.n);
        CHECK(l.elem == op.a);
        break;
      }
      case OpKind::SetEnd: r.read_set_end(); break;
      case OpKind::Bool: CHECK(r.read_bool() == (op.n != 0)); break;
      case OpKind::Byte: CHECK(r.read_byte() == op.n); break;
      case OpKind::I16: CHECK(r.read_i16() == op.n); break;
      case OpKind::I32: CHECK(r.read_i32() == op.n); break;
      case OpKind::I64: CHECK(r.read_i64() == op.n); break;
      case OpKind::Double: {
        double d = r.read_double();
        if (std::isnan(op.d)) {
          CHECK(std::isnan(d));
        } else {
          CHECK(bits_of(d) == bits_of(op.d));
        }
        break;
      }
      case OpKind::String: CHECK(std::string(r.read_string()) == op.s); break;
      case OpKind::Binary: CHECK(std::string(r.read_binary()) == op.s); break;
      case OpKind::Uuid: CHECK(r.read_uuid() == op.uuid); break;
    }
  }
  CHECK(r.at_end());
}

// skip() must consume exactly the bytes of the message or struct.
template <class Reader>
void skip_ops(std::string_view bytes, const std::vector<Op>& ops) {
  Reader r(bytes);
  if (ops.front().kind == OpKind::MessageBegin) {
    r.read_message_begin();
    skip(r, TType::Struct, r.limits().max_depth);
    r.read_message_end();
  } else {
    skip(r, TType::Struct, r.limits().max_depth);
  }
  CHECK(r.at_end());
}

struct Binary {
  using Writer = BinaryWriter;
  using Reader = BinaryReader;
  static constexpr const char* name = "binary";
};
struct Compact {
  using Writer = CompactWriter;
  using Reader = CompactReader;
  static constexpr const char* name = "compact";
};
struct Json {
  using Writer = JsonWriter;
  using Reader = JsonReader;
  static constexpr const char* name = "json";
};

template <class P>
std::string write_all(const std::vector<Op>& ops) {
  std::string out;
  typename P::Writer w(out);
  write_ops(w, ops);
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

std::string unhex(std::string_view text) {
  std::string out;
  for (size_t i = 0; i + 1 < text.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// ---- the round-trip table ------------------------------------------------

struct Case {
  const char* name;
  Seq seq;
};

Seq in_struct(const Seq& body) { return Seq().struct_begin().append(body).stop().struct_end(); }

std::vector<Case> round_trip_cases() {
  using L8 = std::numeric_limits<int8_t>;
  using L16 = std::numeric_limits<int16_t>;
  using L32 = std::numeric_limits<int32_t>;
  using L64 = std::numeric_limits<int64_t>;
  using LD = std::numeric_limits<double>;
  std::vector<Case> cases;

  Seq ints;
  int16_t id = 1;
  for (int64_t v : {int64_t{L8::min()}, int64_t{L8::max()}, int64_t{0}, int64_t{-1}}) {
    ints.field_with(TType::Byte, id++, [v](Seq& s) { s.i8(static_cast<int8_t>(v)); });
  }
  for (int64_t v : {int64_t{L16::min()}, int64_t{L16::max()}, int64_t{0}, int64_t{-1}}) {
    ints.field_with(TType::I16, id++, [v](Seq& s) { s.i16(static_cast<int16_t>(v)); });
  }
  for (int64_t v : {int64_t{L32::min()}, int64_t{L32::max()}, int64_t{0}, int64_t{-1}, int64_t{63}, int64_t{64}}) {
    ints.field_with(TType::I32, id++, [v](Seq& s) { s.i32(static_cast<int32_t>(v)); });
  }
  for (int64_t v : {L64::min(), L64::max(), int64_t{0}, int64_t{-1}, int64_t{1} << 53}) {
    ints.field_with(TType::I64, id++, [v](Seq& s) { s.i64(v); });
  }
  cases.push_back({"integers at their limits", in_struct(ints)});

  Seq doubles;
  id = 1;
  for (double v : {0.0, -0.0, 1.0, -1.5, 0.1, 1e300, -1e-300, LD::min(), LD::denorm_min(), -LD::denorm_min(),
                   LD::max(), LD::lowest(), LD::epsilon(), LD::infinity(), -LD::infinity(), LD::quiet_NaN()}) {
    doubles.field_with(TType::Double, id++, [v](Seq& s) { s.dbl(v); });
  }
  cases.push_back({"doubles including NaN, infinities, -0.0 and denormals", in_struct(doubles)});

  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  std::string control_chars;
  for (int c = 0; c < 0x30; ++c) control_chars.push_back(static_cast<char>(c));
  control_chars += "\\\x7f\xc3\xa9 \xf0\x9d\x84\x9e";
  cases.push_back({"strings and binary: empty, long, escaped, every byte value",
                   in_struct(Seq()
                                 .field_with(TType::String, 1, [](Seq& s) { s.str(""); })
                                 .field_with(TType::String, 2, [](Seq& s) { s.str(std::string(100000, 'z')); })
                                 .field_with(TType::String, 3, [&](Seq& s) { s.str(control_chars); })
                                 .field_with(TType::String, 4, [&](Seq& s) { s.bin(all_bytes); })
                                 .field_with(TType::String, 5, [](Seq& s) { s.bin(""); })
                                 .field_with(TType::String, 6, [](Seq& s) { s.bin("a"); })
                                 .field_with(TType::String, 7, [](Seq& s) { s.bin("ab"); })
                                 .field_with(TType::String, 8, [](Seq& s) { s.str("/slash/"); }))});

  std::array<uint8_t, 16> u1{};
  std::array<uint8_t, 16> u2;
  for (size_t i = 0; i < 16; ++i) u2[i] = static_cast<uint8_t>(0xf0 + i);
  cases.push_back({"uuids", in_struct(Seq()
                                          .field_with(TType::Uuid, 1, [&](Seq& s) { s.uuid(u1); })
                                          .field_with(TType::Uuid, 2, [&](Seq& s) { s.uuid(u2); })
                                          .field_with(TType::List, 3, [&](Seq& s) {
                                            s.list(TType::Uuid, 2).uuid(u2).uuid(u1).list_end();
                                          }))});

  Seq containers;
  containers.field_with(TType::List, 1, [](Seq& s) { s.list(TType::I32, 0).list_end(); })
      .field_with(TType::Set, 2, [](Seq& s) { s.set(TType::String, 0).set_end(); })
      .field_with(TType::Map, 3, [](Seq& s) { s.map(TType::String, TType::I32, 0).map_end(); })
      .field_with(TType::List, 4, [](Seq& s) {
        s.list(TType::I64, 20);
        for (int i = 0; i < 20; ++i) s.i64(i * 1000003LL);
        s.list_end();
      })
      .field_with(TType::List, 5, [](Seq& s) {
        s.list(TType::Bool, 4).boolean(true).boolean(false).boolean(false).boolean(true).list_end();
      })
      .field_with(TType::Set, 6, [](Seq& s) { s.set(TType::Byte, 2).i8(-1).i8(1).set_end(); })
      .field_with(TType::Map, 7, [](Seq& s) {
        s.map(TType::I32, TType::List, 2)
            .i32(-5).list(TType::Double, 1).dbl(2.5).list_end()
            .i32(7).list(TType::Double, 0).list_end()
            .map_end();
      })
      .field_with(TType::Map, 8, [](Seq& s) {
        s.map(TType::Double, TType::Bool, 2).dbl(-0.5).boolean(true).dbl(LD::quiet_NaN()).boolean(false).map_end();
      })
      .field_with(TType::Map, 9, [](Seq& s) {
        s.map(TType::Bool, TType::Map, 1).boolean(false).map(TType::I16, TType::I16, 1).i16(-3).i16(3).map_end().map_end();
      })
      .field_with(TType::List, 10, [](Seq& s) {
        s.list(TType::List, 2).list(TType::String, 1).str("in").list_end().list(TType::String, 0).list_end().list_end();
      })
      .field_with(TType::Map, 11, [](Seq& s) {
        s.map(TType::Struct, TType::Uuid, 1)
            .struct_begin().field_with(TType::I32, 1, [](Seq& t) { t.i32(1); }).stop().struct_end()
            .uuid({})
            .map_end();
      });
  cases.push_back({"empty and nested lists, sets and maps", in_struct(containers)});

  Seq inner = in_struct(Seq()
                            .field_with(TType::Bool, 1, [](Seq& s) { s.boolean(true); })
                            .field_with(TType::I32, 30, [](Seq& s) { s.i32(30); }));
  Seq nested;
  nested.field_with(TType::I32, 2, [](Seq& s) { s.i32(2); })
      .field_with(TType::Struct, 3, [&](Seq& s) {
        s.struct_begin()
            .field_with(TType::Struct, 100, [&](Seq& t) { t.append(inner); })
            .field_with(TType::Bool, 101, [](Seq& t) { t.boolean(false); })
            .stop()
            .struct_end();
      })
      .field_with(TType::I32, 4, [](Seq& s) { s.i32(4); })
      .field_with(TType::List, 5, [&](Seq& s) { s.list(TType::Struct, 2).append(inner).append(in_struct(Seq())).list_end(); });
  cases.push_back({"nested structs", in_struct(nested)});

  Seq ids;
  for (int16_t fid : {int16_t{1}, int16_t{15}, int16_t{16}, int16_t{31}, int16_t{32767}, int16_t{-1},
                      int16_t{-32768}, int16_t{0}, int16_t{200}, int16_t{215}, int16_t{5}}) {
    ids.field_with(TType::I16, fid, [fid](Seq& s) { s.i16(fid); });
  }
  cases.push_back({"field ids 1, 15, 16, 32767, -1 and big jumps", in_struct(ids)});

  Seq bools;
  for (int16_t fid : {int16_t{1}, int16_t{2}, int16_t{17}, int16_t{-2}, int16_t{32767}, int16_t{3}}) {
    bools.field_with(TType::Bool, fid, [fid](Seq& s) { s.boolean(fid % 2 != 0); });
  }
  cases.push_back({"bool fields with short and long headers", in_struct(bools)});

  const std::pair<MessageType, int32_t> kinds[] = {{MessageType::Call, 0},
                                                   {MessageType::Reply, L32::max()},
                                                   {MessageType::Exception, -1},
                                                   {MessageType::Oneway, L32::min()}};
  for (auto [type, seqid] : kinds) {
    Seq m;
    m.message_begin(std::string("method_") + to_string(type), type, seqid)
        .append(in_struct(Seq().field_with(TType::String, 1, [](Seq& s) { s.str("arg"); })))
        .message_end();
    cases.push_back({"messages of every type", m});
  }
  cases.push_back({"a message with an empty name and empty args",
                   Seq().message_begin("", MessageType::Call, 1).append(in_struct(Seq())).message_end()});
  return cases;
}

}  // namespace

TEMPLATE_TEST_CASE("every value written by a protocol writer reads back the same", "[core][protocol]",
                   Binary, Compact, Json) {
  for (const Case& c : round_trip_cases()) {
    INFO(TestType::name << ": " << c.name);
    std::string bytes = write_all<TestType>(c.seq.ops);
    INFO("bytes: " << hex(bytes.substr(0, 200)));
    typename TestType::Reader reader(bytes);
    read_ops(reader, c.seq.ops);
    CHECK(reader.offset() == bytes.size());
    skip_ops<typename TestType::Reader>(bytes, c.seq.ops);
  }
}

// ---- golden bytes from Apache's Python library ---------------------------

namespace {

Op op_from_json(const nlohmann::json& j) {
  std::string name = j.at(0);
  auto ttype = [&](size_t i) { return static_cast<TType>(j.at(i).get<int>()); };
  Op op(OpKind::StructBegin);
  if (name == "message_begin") {
    op.kind = OpKind::MessageBegin;
    op.s = unhex(j.at(1).get<std::string>());
    op.message_type = static_cast<MessageType>(j.at(2).get<int>());
    op.n = j.at(3).get<int64_t>();
  } else if (name == "message_end") {
    op.kind = OpKind::MessageEnd;
  } else if (name == "struct_begin") {
    op.kind = OpKind::StructBegin;
  } else if (name == "struct_end") {
    op.kind = OpKind::StructEnd;
  } else if (name == "field_begin") {
    op = Op(OpKind::FieldBegin, ttype(1), TType::Stop, j.at(2).get<int64_t>());
  } else if (name == "field_end") {
    op.kind = OpKind::FieldEnd;
  } else if (name == "field_stop") {
    op.kind = OpKind::FieldStop;
  } else if (name == "map_begin") {
    op = Op(OpKind::MapBegin, ttype(1), ttype(2), j.at(3).get<int64_t>());
  } else if (name == "map_end") {
    op.kind = OpKind::MapEnd;
  } else if (name == "list_begin") {
    op = Op(OpKind::ListBegin, ttype(1), TType::Stop, j.at(2).get<int64_t>());
  } else if (name == "list_end") {
    op.kind = OpKind::ListEnd;
  } else if (name == "set_begin") {
    op = Op(OpKind::SetBegin, ttype(1), TType::Stop, j.at(2).get<int64_t>());
  } else if (name == "set_end") {
    op.kind = OpKind::SetEnd;
  } else if (name == "bool" || name == "byte" || name == "i16" || name == "i32" || name == "i64") {
    op.kind = name == "bool" ? OpKind::Bool
              : name == "byte" ? OpKind::Byte
              : name == "i16" ? OpKind::I16
              : name == "i32" ? OpKind::I32
                              : OpKind::I64;
    op.n = j.at(1).get<int64_t>();
  } else if (name == "double") {
    op.kind = OpKind::Double;
    std::string raw = unhex(j.at(1).get<std::string>());
    uint64_t bits = 0;
    for (unsigned char c : raw) bits = bits << 8 | c;
    std::memcpy(&op.d, &bits, sizeof op.d);
  } else if (name == "string" || name == "binary") {
    op.kind = name == "string" ? OpKind::String : OpKind::Binary;
    op.s = unhex(j.at(1).get<std::string>());
  } else {
    FAIL("golden_protocol.py printed an unknown op: " << name);
  }
  return op;
}

// Runs golden_protocol.py. Any failure to get its output fails the test: a
// missing Python or python3-thrift must not pass silently.
nlohmann::json run_golden_script() {
  std::string script = std::string(THRIFT_CALL_SOURCE_DIR) + "/tests/core/protocol/golden_protocol.py";
  std::string command = "/usr/bin/python3 '" + script + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) FAIL("cannot run " << command);
  std::string output;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  int status = pclose(pipe);
  if (status != 0) {
    FAIL("golden_protocol.py failed (exit status " << status << "); it needs /usr/bin/python3 and Debian's "
         "python3-thrift. Output:\n" << output);
  }
  auto parsed = nlohmann::json::parse(output, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array() || parsed.empty()) {
    FAIL("golden_protocol.py printed no case list:\n" << output.substr(0, 2000));
  }
  return parsed;
}

template <class P>
void check_golden_case(const nlohmann::json& entry) {
  std::vector<Op> ops;
  for (const auto& j : entry.at("ops")) ops.push_back(op_from_json(j));
  std::string python = unhex(entry.at("hex").get<std::string>());
  std::string ours = write_all<P>(ops);
  if (entry.contains("cpp_json")) {
    // Apache's C++ and Python libraries differ here; we write as C++ does.
    std::string cpp = unhex(entry.at("cpp_json").get<std::string>());
    CHECK(ours == cpp);
    CHECK(ours != python);
  } else {
    INFO("ours:   " << (std::string(P::name) == "json" ? ours : hex(ours)));
    INFO("python: " << (std::string(P::name) == "json" ? python : hex(python)));
    CHECK(ours == python);
  }
  typename P::Reader reader(python);
  read_ops(reader, ops);
  skip_ops<typename P::Reader>(python, ops);
}

}  // namespace

TEST_CASE("writers produce the bytes Apache's Python library writes, and readers read them",
          "[core][protocol][golden]") {
  nlohmann::json cases = run_golden_script();
  int checked = 0;
  for (const auto& entry : cases) {
    std::string protocol = entry.at("protocol");
    INFO(protocol << ": " << entry.at("name").get<std::string>());
    if (protocol == "binary") {
      check_golden_case<Binary>(entry);
    } else if (protocol == "compact") {
      check_golden_case<Compact>(entry);
    } else if (protocol == "json") {
      check_golden_case<Json>(entry);
    } else {
      FAIL("unknown protocol " << protocol);
    }
    ++checked;
  }
  CHECK(checked >= 45);
}
