// Property: for random schemas and random values, in every protocol,
// decode(encode(json)) == json and encode(decode(bytes)) == bytes.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "../../idl/idl_test_util.h"
#include "core/codec/base64.h"
#include "core/codec/codec.h"
#include "base/hex.h"
#include "base/error.h"

using namespace thrift_call;
using nlohmann::json;
using Ordered = nlohmann::ordered_json;

namespace {

class SchemaGenerator {
 public:
  explicit SchemaGenerator(uint32_t seed) : rng_(seed) {}

  // IDL text with an enum and several structs; the last struct is the root.
  std::string idl(int structs) {
    std::string out = "enum Color { RED = 1, GREEN = 2, BLUE = -7 }\n";
    for (int s = 0; s < structs; ++s) {
      bool is_union = s > 0 && pick(4) == 0;
      out += std::string(is_union ? "union" : "struct") + " S" + std::to_string(s) + " {\n";
      std::set<int> ids;
      int fields = 1 + pick(7);
      for (int f = 0; f < fields; ++f) {
        int id;
        do {
          id = pick(3) == 0 ? 1 + pick(32767) : 1 + pick(20);
        } while (!ids.insert(id).second);
        std::string req = is_union ? "" : (pick(3) == 0 ? "optional " : "");
        out += "  " + std::to_string(id) + ": " + req + type(s, 0) + " f" + std::to_string(f) + ",\n";
      }
      out += "}\n";
    }
    return out;
  }

  Ordered value(const idl::Type& declared, int depth = 0) {
    const idl::Type* t = declared.true_type();
    switch (t->kind) {
      case idl::TypeKind::Bool: return pick(2) == 1;
      case idl::TypeKind::I8: return static_cast<int64_t>(pick(256)) - 128;
      case idl::TypeKind::I16: return static_cast<int64_t>(pick(65536)) - 32768;
      case idl::TypeKind::I32: return static_cast<int64_t>(static_cast<int32_t>(rng_()));
      case idl::TypeKind::I64: return static_cast<int64_t>((uint64_t{rng_()} << 32) | rng_());
      case idl::TypeKind::Double: {
        double d = std::ldexp(static_cast<double>(static_cast<int32_t>(rng_())), pick(200) - 100);
        return d;
      }
      case idl::TypeKind::String: return text();
      case idl::TypeKind::Binary: {
        std::string bytes;
        for (int i = pick(20); i > 0; --i) bytes += static_cast<char>(rng_());
        return base64_encode(bytes);
      }
      case idl::TypeKind::Uuid: {
        static const char* hex = "0123456789abcdef";
        std::string u;
        for (int i = 0; i < 32; ++i) {
          if (i == 8 || i == 12 || i == 16 || i == 20) u += '-';
          u += hex[pick(16)];
        }
        return u;
      }
      case idl::TypeKind::Enum: return std::vector<std::string>{"RED", "GREEN", "BLUE"}[pick(3)];
      case idl::TypeKind::List:
      case idl::TypeKind::Set: {
        Ordered out = Ordered::array();
        for (int i = pick(depth > 1 ? 2 : 4); i > 0; --i) out.push_back(value(*t->elem, depth + 1));
        return out;
      }
      case idl::TypeKind::Map: {
        int n = pick(depth > 1 ? 2 : 4);
        const idl::TypeKind k = t->key->true_type()->kind;
        bool object = k == idl::TypeKind::String || k == idl::TypeKind::Enum || k == idl::TypeKind::I8 ||
                      k == idl::TypeKind::I16 || k == idl::TypeKind::I32 || k == idl::TypeKind::I64;
        if (object) {
          Ordered out = Ordered::object();
          for (int i = 0; i < n; ++i) {
            Ordered key = value(*t->key, depth + 1);
            out[key.is_string() ? key.get<std::string>() : key.dump()] = value(*t->value, depth + 1);
          }
          return out;
        }
        Ordered out = Ordered::array();
        for (int i = 0; i < n; ++i) out.push_back({value(*t->key, depth + 1), value(*t->value, depth + 1)});
        return out;
      }
      case idl::TypeKind::Struct: {
        const idl::StructDef& s = *t->struct_def;
        Ordered out = Ordered::object();
        if (s.kind == idl::StructKind::Union) {
          const idl::Field* f = s.fields_in_id_order()[pick(static_cast<int>(s.fields.size()))];
          out[f->name] = value(*f->type, depth + 1);
          return out;
        }
        for (const idl::Field* f : s.fields_in_id_order())
          if (f->requiredness != idl::Requiredness::Optional || pick(2) == 0) out[f->name] = value(*f->type, depth + 1);
        return out;
      }
      default: break;
    }
    return nullptr;
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }

  std::string type(int struct_index, int depth) {
    static const char* base[] = {"bool", "i8", "i16", "i32", "i64", "double", "string", "binary", "uuid", "Color"};
    int choice = pick(depth > 1 ? 10 : 14);
    if (choice < 10) return base[choice];
    if (choice == 10) return "list<" + type(struct_index, depth + 1) + ">";
    if (choice == 11) return "set<" + type(struct_index, depth + 1) + ">";
    if (choice == 12) return "map<" + type(struct_index, depth + 1) + "," + type(struct_index, depth + 1) + ">";
    return struct_index > 0 ? "S" + std::to_string(pick(struct_index)) : "string";
  }

  std::string text() {
    static const char* pieces[] = {"a", "Z", " ", "\"", "\\", "\n", "\t", "é", "☃", "😀", "\x01", "/", "{}"};
    std::string s;
    for (int i = pick(8); i > 0; --i) s += pieces[pick(13)];
    return s;
  }

  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("random values of random schemas survive encode then decode, and decode then encode, in every protocol",
          "[core][codec][property]") {
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    SchemaGenerator gen(seed);
    std::string idl_text = gen.idl(1 + static_cast<int>(seed % 4));
    idl::Schema schema = test::load_text(idl_text);
    const idl::Type* root = schema.find_type("S" + std::to_string(seed % 4));
    REQUIRE(root != nullptr);
    for (int sample = 0; sample < 4; ++sample) {
      Ordered value = gen.value(*root);
      for (auto kind : {codec::ProtocolKind::Binary, codec::ProtocolKind::Compact, codec::ProtocolKind::Json}) {
        INFO("seed " << seed << " sample " << sample << " protocol " << codec::to_string(kind) << "\n"
                     << idl_text << "\n" << value.dump());
        std::string bytes = codec::serialize(kind, root, value);
        codec::Deserialized back = codec::deserialize(kind, bytes, root);
        CHECK(back.consumed == bytes.size());
        CHECK(json::parse(back.json) == json::parse(value.dump()));
        CHECK(to_hex(codec::serialize(kind, root, Ordered::parse(back.json))) == to_hex(bytes));
        // Raw mode reads the same bytes without the IDL and writes them back.
        codec::Deserialized raw = codec::deserialize(kind, bytes, nullptr);
        CHECK(to_hex(codec::serialize(kind, nullptr, Ordered::parse(raw.json))) == to_hex(bytes));
      }
    }
  }
}

TEST_CASE("mutated and truncated encodings of random values decode or fail with a protocol error, never crash",
          "[core][codec][property][bad-input]") {
  std::mt19937 rng(12345);
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    SchemaGenerator gen(seed);
    idl::Schema schema = test::load_text(gen.idl(1 + static_cast<int>(seed % 4)));
    const idl::Type* root = schema.find_type("S" + std::to_string(seed % 4));
    Ordered value = gen.value(*root);
    for (auto kind : {codec::ProtocolKind::Binary, codec::ProtocolKind::Compact, codec::ProtocolKind::Json}) {
      std::string bytes = codec::serialize(kind, root, value);
      for (int round = 0; round < 40; ++round) {
        std::string bad = bytes;
        if (round % 4 == 0) {
          bad.resize(rng() % (bad.size() + 1));
        } else {
          for (int flips = 1 + static_cast<int>(rng() % 3); flips > 0 && !bad.empty(); --flips)
            bad[rng() % bad.size()] = static_cast<char>(rng());
        }
        for (const idl::Type* type : {root, static_cast<const idl::Type*>(nullptr)}) {
          try {
            codec::deserialize(kind, bad, type);
          } catch (const Error& e) {
            INFO("seed " << seed << " round " << round << " " << codec::to_string(kind) << ": " << e.what());
            CHECK(e.kind() == ErrorKind::Protocol);
            CHECK(e.where().rfind("byte ", 0) == 0);
          }
        }
      }
    }
  }
}
