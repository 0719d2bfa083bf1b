#include "idl/resolver.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/error.h"
#include "idl/parser.h"

namespace thrift_call::idl {
namespace {

[[noreturn]] void fail(const std::string& message, const SourceLocation& location) {
  throw Error(ErrorKind::Idl, message, location.to_string());
}

std::string kind_name(const ConstValue& v) {
  switch (v.kind) {
    case ConstValue::Kind::Integer: return v.bool_literal ? "a bool" : "an integer";
    case ConstValue::Kind::Double: return "a double";
    case ConstValue::Kind::String: return "a string";
    case ConstValue::Kind::Identifier: return "the identifier " + v.text;
    case ConstValue::Kind::List: return "a list";
    case ConstValue::Kind::Map: return "a map";
  }
  return "a value";
}

bool is_uuid_text(const std::string& s) {
  std::string_view v = s;
  if (v.size() == 38 && v.front() == '{' && v.back() == '}') v = v.substr(1, 36);
  if (v.size() != 36) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? v[i] != '-' : !std::isxdigit(static_cast<unsigned char>(v[i]))) return false;
  }
  return true;
}

class Resolver {
 public:
  explicit Resolver(Schema& schema) : schema_(schema) {}

  void run() {
    for (const auto& program : schema_.programs()) index_names(*program);
    for (const auto& program : schema_.programs()) resolve_types(*program);
    for (const auto& program : schema_.programs()) check_typedefs(*program);
    for (const auto& program : schema_.programs()) resolve_services(*program);
    for (const auto& program : schema_.programs()) resolve_values(*program);
    for (const auto& program : schema_.programs()) {
      for (auto& s : program->structs) s->build_index();
      for (auto& service : program->services)
        for (auto& fn : service->functions) {
          fn->args.build_index();
          fn->result.build_index();
        }
    }
  }

 private:
  void index_names(Program& program) {
    auto& n = program.names;
    // Types and services share one namespace, as in the reference compiler;
    // constants have their own.
    std::unordered_map<std::string, SourceLocation> taken;
    auto claim = [&](const std::string& name, const SourceLocation& location) {
      auto [it, inserted] = taken.emplace(name, location);
      if (inserted) return;
      // Report the definition that comes second in the file.
      const SourceLocation* first = &it->second;
      const SourceLocation* second = &location;
      if (std::tie(second->line, second->column) < std::tie(first->line, first->column)) std::swap(first, second);
      fail("\"" + name + "\" is already defined (" + first->to_string() + ")", *second);
    };
    auto named_type = [&](TypeKind kind, const std::string& name, const SourceLocation& location) {
      Type* t = program.new_type(kind, location);
      n.types[name] = t;
      return t;
    };
    for (auto& e : program.enums) {
      claim(e->name, e->location);
      n.enums[e->name] = e.get();
      named_type(TypeKind::Enum, e->name, e->location)->enum_def = e.get();
      std::unordered_set<std::string> seen;
      for (const auto& v : e->values)
        if (!seen.insert(v.name).second)
          fail("enum value \"" + v.name + "\" is already defined in enum \"" + e->name + "\"", v.location);
    }
    for (auto& t : program.typedefs) {
      claim(t->name, t->location);
      n.typedefs[t->name] = t.get();
      named_type(TypeKind::Typedef, t->name, t->location)->typedef_def = t.get();
    }
    for (auto& s : program.structs) {
      claim(s->name, s->location);
      n.structs[s->name] = s.get();
      named_type(TypeKind::Struct, s->name, s->location)->struct_def = s.get();
    }
    for (auto& s : program.services) {
      claim(s->name, s->location);
      n.services[s->name] = s.get();
    }
    std::unordered_map<std::string, SourceLocation> consts;
    for (auto& c : program.consts) {
      auto [it, inserted] = consts.emplace(c->name, c->location);
      if (!inserted)
        fail("constant \"" + c->name + "\" is already defined (" + it->second.to_string() + ")", c->location);
      n.consts[c->name] = c.get();
    }
  }

  // Splits "prog.Name" into the program it names and the rest; a name
  // without a known include prefix is looked up in `from` itself.
  std::pair<const Program*, std::string_view> scope_of(const Program& from, std::string_view name) {
    size_t dot = name.find('.');
    if (dot != std::string_view::npos) {
      if (const Program* inc = from.find_include(name.substr(0, dot))) return {inc, name.substr(dot + 1)};
    }
    return {&from, name};
  }

  void resolve_type(Program& program, Type& type) {
    if (type.kind != TypeKind::Named) return;
    auto [scope, rest] = scope_of(program, type.name);
    std::string key(rest);
    const auto& n = scope->names;
    if (auto it = n.structs.find(key); it != n.structs.end()) {
      type.kind = TypeKind::Struct;
      type.struct_def = it->second;
    } else if (auto it = n.enums.find(key); it != n.enums.end()) {
      type.kind = TypeKind::Enum;
      type.enum_def = it->second;
    } else if (auto it = n.typedefs.find(key); it != n.typedefs.end()) {
      type.kind = TypeKind::Typedef;
      type.typedef_def = it->second;
    } else {
      std::string hint;
      if (type.name == "uuid") hint = "";
      size_t dot = type.name.find('.');
      if (dot != std::string::npos && !program.find_include(std::string_view(type.name).substr(0, dot)))
        hint = " (no include named \"" + type.name.substr(0, dot) + "\")";
      fail("unknown type \"" + type.name + "\"" + hint, type.location);
    }
  }

  void resolve_types(Program& program) {
    for (auto& type : program.types) resolve_type(program, *type);
  }

  // Typedefs: a cycle (typedef A B, typedef B A; typedef list<L> L) refers
  // to itself; nesting through typedefs (typedef list<A> B, or a chain of
  // links) is bounded as nesting written in one type is, since everything
  // that walks a type (true_type, templates, `schema`) follows the links;
  // and so is the size of a typedef with its links followed, which doubles
  // at each typedef map<A, A> B. Each typedef is measured once, its links
  // followed with a stack of our own, so a long chain costs linear time and
  // no recursion.
  struct Extent {
    int depth = 0;     // a typedef link counts as a level
    size_t types = 1;  // type nodes, typedefs followed; saturates past the limit
  };
  static constexpr size_t kMaxTypedefTypes = size_t{1} << 16;

  void check_typedefs(Program& program) {
    for (auto& t : program.typedefs) {
      if (typedef_extent_.count(t.get())) continue;
      std::vector<const TypedefDef*> stack{t.get()};
      measuring_.insert(t.get());
      while (!stack.empty()) {
        const TypedefDef* top = stack.back();
        const TypedefDef* unmeasured = nullptr;
        Extent extent = extent_through_typedefs(*top->type, *t, unmeasured);
        if (unmeasured) {
          measuring_.insert(unmeasured);
          stack.push_back(unmeasured);
          continue;
        }
        if (extent.depth > kMaxIdlNesting)
          fail("typedef \"" + top->name + "\" nests deeper than " + std::to_string(kMaxIdlNesting) +
                   " levels through typedefs",
               top->location);
        if (extent.types > kMaxTypedefTypes)
          fail("typedef \"" + top->name + "\" expands to more than " + std::to_string(kMaxTypedefTypes) +
                   " types through typedefs",
               top->location);
        typedef_extent_[top] = extent;
        measuring_.erase(top);
        stack.pop_back();
      }
    }
  }

  // `type` with its typedefs followed; with `unmeasured` set (and the
  // extent meaningless) when it names a typedef not measured yet. The
  // written type itself is at most kMaxIdlNesting deep (the parser's limit).
  Extent extent_through_typedefs(const Type& type, const TypedefDef& measured, const TypedefDef*& unmeasured) {
    auto add = [](Extent a, const Extent& b) {
      a.depth = std::max(a.depth, b.depth);
      a.types = std::min(a.types + b.types, kMaxTypedefTypes + 1);
      return a;
    };
    auto wrap = [](Extent inner) {  // one level and one node around `inner`
      ++inner.depth;
      inner.types = std::min(inner.types + 1, kMaxTypedefTypes + 1);
      return inner;
    };
    switch (type.kind) {
      case TypeKind::Typedef: {
        auto known = typedef_extent_.find(type.typedef_def);
        if (known != typedef_extent_.end()) return wrap(known->second);
        if (measuring_.count(type.typedef_def))
          fail("typedef \"" + measured.name + "\" refers to itself", measured.location);
        unmeasured = type.typedef_def;
        return {};
      }
      case TypeKind::List:
      case TypeKind::Set: return wrap(extent_through_typedefs(*type.elem, measured, unmeasured));
      case TypeKind::Map: {
        Extent key = extent_through_typedefs(*type.key, measured, unmeasured);
        if (unmeasured) return {};
        return wrap(add(key, extent_through_typedefs(*type.value, measured, unmeasured)));
      }
      default: return {};
    }
  }

  void resolve_services(Program& program) {
    for (auto& service : program.services) {
      if (service->extends_name.empty()) continue;
      auto [scope, rest] = scope_of(program, service->extends_name);
      const Service* base = scope->find_service(rest);
      if (!base) fail("service \"" + service->extends_name + "\" is not defined", service->location);
      service->extends = base;
    }
    // Cycles, in linear time: each chain is walked until it meets a service
    // already known to end (a chain of 4,000 services was walked again from
    // each of them).
    for (auto& service : program.services) {
      std::vector<const Service*> walked;
      const Service* s = service.get();
      for (; s && !chain_ends_.count(s); s = s->extends) {
        if (walking_.count(s)) fail("service \"" + s->name + "\" extends itself", s->location);
        walking_.insert(s);
        walked.push_back(s);
      }
      for (const Service* done : walked) {
        walking_.erase(done);
        chain_ends_.insert(done);
      }
    }
    for (auto& service : program.services)
      for (auto& fn : service->functions) build_function(program, *service, *fn);
  }

  void build_function(Program& program, const Service& service, Function& fn) {
    fn.service = &service;
    fn.args.name = fn.name + "_args";
    fn.args.program = &program;
    fn.args.location = fn.location;
    fn.result.name = fn.name + "_result";
    fn.result.program = &program;
    fn.result.location = fn.location;
    if (fn.oneway && fn.return_type->kind != TypeKind::Void)
      fail("oneway function \"" + fn.name + "\" must return void", fn.location);
    if (fn.oneway && !fn.exceptions.empty())
      fail("oneway function \"" + fn.name + "\" cannot throw exceptions", fn.location);
    if (fn.return_type->kind != TypeKind::Void) {
      Field success;
      success.id = 0;
      success.name = "success";
      success.type = fn.return_type;
      success.location = fn.location;
      fn.result.fields.push_back(std::move(success));
    }
    for (const Field& ex : fn.exceptions) {
      const Type* t = ex.type->true_type();
      if (t->kind != TypeKind::Struct || t->struct_def->kind != StructKind::Exception)
        fail("throws clause of \"" + fn.name + "\" names \"" + ex.type->to_idl() + "\", which is not an exception",
             ex.location);
      fn.result.fields.push_back(ex);
    }
  }

  void resolve_values(Program& program) {
    for (auto& c : program.consts) resolve_const(program, *c);
    auto resolve_defaults = [&](std::vector<Field>& fields) {
      for (Field& f : fields)
        if (f.default_value) resolve_value(program, *f.default_value, *f.type, "default of \"" + f.name + "\"");
    };
    for (auto& s : program.structs) resolve_defaults(s->fields);
    for (auto& service : program.services)
      for (auto& fn : service->functions) {
        resolve_defaults(fn->args.fields);
        resolve_defaults(fn->exceptions);
        resolve_defaults(fn->result.fields);
      }
  }

  // `depth`: how deep the value that names this constant is, counting the
  // constants it is reached through, so that a chain of them is bounded as
  // nesting is (each link is a recursion).
  void resolve_const(Program& program, ConstDef& c, int depth = 0) {
    if (done_.count(&c)) return;
    if (!in_progress_.insert(&c).second) fail("constant \"" + c.name + "\" refers to itself", c.location);
    resolve_value(program, c.value, *c.type, "constant \"" + c.name + "\"", depth);
    in_progress_.erase(&c);
    done_.insert(&c);
    const_values_[&c] = count_values(c.value);
  }

  static size_t count_values(const ConstValue& value) {
    size_t n = 1;
    for (const ConstValue& item : value.list) n += count_values(item);
    for (const ConstEntry& entry : value.map) n += count_values(entry.first) + count_values(entry.second);
    return n;
  }

  // An identifier names an enum value ("Color.RED", "prog.Color.RED") or a
  // constant ("MAX", "prog.MAX"). Returns false when it names neither.
  bool substitute_identifier(Program& program, ConstValue& value, const Type* expected, int depth) {
    const std::string name = value.text;
    auto use_enum_value = [&](const EnumDef& e, const EnumValue& v) {
      value.kind = ConstValue::Kind::Integer;
      value.integer = v.value;
      value.reference = e.name + "." + v.name;
    };
    size_t last_dot = name.rfind('.');
    // Where an enum is expected, the reference compiler looks only at the part
    // after the last dot, in that enum ("OtherEnum.X" works when X is a value
    // of the expected enum).
    if (expected && expected->kind == TypeKind::Enum && last_dot != std::string::npos) {
      if (const EnumValue* v = expected->enum_def->find(std::string_view(name).substr(last_dot + 1))) {
        use_enum_value(*expected->enum_def, *v);
        return true;
      }
    }
    auto [scope, rest] = scope_of(program, name);
    if (const ConstDef* c = scope->find_const(rest)) {
      auto* def = const_cast<ConstDef*>(c);
      resolve_const(*const_cast<Program*>(c->program), *def, depth + 1);
      // Each use is a copy: constants made of constants used twice
      // (const list<..> B = [A, A], C = [B, B], ...) double at every step.
      expanded_values_ += const_values_[def];
      if (expanded_values_ > kMaxExpandedValues)
        fail("constants expand to more than " + std::to_string(kMaxExpandedValues) +
                 " values through the constants they name (here \"" + name + "\")",
             value.location);
      SourceLocation location = value.location;
      value = def->value;
      value.location = location;
      value.reference = name;
      return true;
    }
    size_t dot = rest.rfind('.');
    if (dot != std::string_view::npos) {
      if (const EnumDef* e = scope->find_enum(rest.substr(0, dot))) {
        const EnumValue* v = e->find(rest.substr(dot + 1));
        if (!v) fail("enum \"" + e->name + "\" has no value \"" + std::string(rest.substr(dot + 1)) + "\"", value.location);
        use_enum_value(*e, *v);
        return true;
      }
    }
    // thrift-call also takes a bare value name of the expected enum.
    if (expected && expected->kind == TypeKind::Enum && last_dot == std::string::npos) {
      if (const EnumValue* v = expected->enum_def->find(name)) {
        use_enum_value(*expected->enum_def, *v);
        return true;
      }
    }
    return false;
  }

  void resolve_value(Program& program, ConstValue& value, const Type& declared, const std::string& what,
                     int depth = 0) {
    if (depth > kMaxIdlNesting) fail("nesting deeper than " + std::to_string(kMaxIdlNesting) + " levels", value.location);
    const Type* type = declared.true_type();
    if (value.kind == ConstValue::Kind::Identifier && !substitute_identifier(program, value, type, depth))
      fail("no constant or enum value named \"" + value.text + "\" (in " + what + ")", value.location);

    auto mismatch = [&](const std::string& expected) {
      fail(what + ": expected " + expected + ", got " + kind_name(value), value.location);
    };
    auto check_range = [&](int64_t lo, int64_t hi, const char* name) {
      if (value.kind != ConstValue::Kind::Integer) mismatch(name);
      if (value.integer < lo || value.integer > hi)
        fail(what + ": " + std::to_string(value.integer) + " does not fit in " + name, value.location);
    };
    switch (type->kind) {
      case TypeKind::Bool:
        if (value.kind != ConstValue::Kind::Integer) mismatch("bool");
        break;
      case TypeKind::I8: check_range(INT8_MIN, INT8_MAX, "i8"); break;
      case TypeKind::I16: check_range(INT16_MIN, INT16_MAX, "i16"); break;
      case TypeKind::I32: check_range(INT32_MIN, INT32_MAX, "i32"); break;
      case TypeKind::I64: check_range(INT64_MIN, INT64_MAX, "i64"); break;
      case TypeKind::Enum: check_range(INT32_MIN, INT32_MAX, "an enum value (i32)"); break;
      case TypeKind::Double:
        if (value.kind != ConstValue::Kind::Integer && value.kind != ConstValue::Kind::Double) mismatch("double");
        break;
      case TypeKind::String:
      case TypeKind::Binary:
        if (value.kind != ConstValue::Kind::String) mismatch(base_type_name(type->kind));
        break;
      case TypeKind::Uuid:
        if (value.kind != ConstValue::Kind::String) mismatch("uuid");
        if (!is_uuid_text(value.text))
          fail(what + ": \"" + value.text + "\" is not a uuid (8-4-4-4-12 hex digits)", value.location);
        break;
      case TypeKind::List:
      case TypeKind::Set:
        // An empty `{}` is accepted for an empty list or set, as the reference compiler does.
        if (value.kind == ConstValue::Kind::Map && value.map.empty()) break;
        if (value.kind != ConstValue::Kind::List) mismatch(type->kind == TypeKind::List ? "a list" : "a set");
        for (ConstValue& item : value.list) resolve_value(program, item, *type->elem, what, depth + 1);
        break;
      case TypeKind::Map:
        if (value.kind == ConstValue::Kind::List && value.list.empty()) break;
        if (value.kind != ConstValue::Kind::Map) mismatch("a map");
        for (auto& [k, v] : value.map) {
          resolve_value(program, k, *type->key, what, depth + 1);
          resolve_value(program, v, *type->value, what, depth + 1);
        }
        break;
      case TypeKind::Struct: {
        if (value.kind != ConstValue::Kind::Map) mismatch("a struct literal {\"field\": value}");
        const StructDef& s = *type->struct_def;
        for (auto& [k, v] : value.map) {
          if (k.kind != ConstValue::Kind::String)
            fail(what + ": struct literal keys must be field names in quotes", k.location);
          const Field* field = nullptr;
          for (const Field& f : s.fields)
            if (f.name == k.text) field = &f;
          if (!field) fail(what + ": \"" + s.name + "\" has no field \"" + k.text + "\"", k.location);
          resolve_value(program, v, *field->type, what, depth + 1);
        }
        break;
      }
      case TypeKind::Void:
        fail(what + ": a constant cannot be void", value.location);
      case TypeKind::Typedef:
      case TypeKind::Named:
        fail(what + ": unresolved type", value.location);  // true_type() never returns these
    }
  }

  Schema& schema_;
  std::unordered_map<const TypedefDef*, Extent> typedef_extent_;  // measured: its type, typedefs followed
  std::unordered_set<const TypedefDef*> measuring_;
  std::unordered_set<const Service*> chain_ends_;  // its extends chain is known to end
  std::unordered_set<const Service*> walking_;
  std::unordered_set<const ConstDef*> in_progress_;
  std::unordered_set<const ConstDef*> done_;
  // Values copied into uses of constants, against kMaxExpandedValues.
  static constexpr size_t kMaxExpandedValues = size_t{1} << 20;
  std::unordered_map<const ConstDef*, size_t> const_values_;  // resolved: how many values it holds
  size_t expanded_values_ = 0;
};

}  // namespace

void resolve_schema(Schema& schema) { Resolver(schema).run(); }

}  // namespace thrift_call::idl
