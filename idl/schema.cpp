#include "idl/schema.h"

#include <algorithm>
#include <unordered_set>

#include "base/error.h"

namespace thrift_call::idl {

const char* base_type_name(TypeKind kind) {
  switch (kind) {
    case TypeKind::Void: return "void";
    case TypeKind::Bool: return "bool";
    case TypeKind::I8: return "i8";
    case TypeKind::I16: return "i16";
    case TypeKind::I32: return "i32";
    case TypeKind::I64: return "i64";
    case TypeKind::Double: return "double";
    case TypeKind::String: return "string";
    case TypeKind::Binary: return "binary";
    case TypeKind::Uuid: return "uuid";
    case TypeKind::List:
    case TypeKind::Set:
    case TypeKind::Map:
    case TypeKind::Struct:
    case TypeKind::Enum:
    case TypeKind::Typedef:
    case TypeKind::Named:
      return nullptr;
  }
  return nullptr;
}

const char* to_string(Requiredness r) {
  switch (r) {
    case Requiredness::Default: return "default";
    case Requiredness::Required: return "required";
    case Requiredness::Optional: return "optional";
  }
  return "default";
}

const Type* Type::typedef_target() const {
  const Type* t = this;
  while (t->kind == TypeKind::Typedef) t = t->typedef_def->type;
  return t;
}

bool same_type(const Type& declared_a, const Type& declared_b) {
  const Type* a = declared_a.true_type();
  const Type* b = declared_b.true_type();
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case TypeKind::Struct:
      return a->struct_def == b->struct_def;
    case TypeKind::Enum:
      return a->enum_def == b->enum_def;
    case TypeKind::List:
    case TypeKind::Set:
      return same_type(*a->elem, *b->elem);
    case TypeKind::Map:
      return same_type(*a->key, *b->key) && same_type(*a->value, *b->value);
    default:
      return true;
  }
}

namespace {
std::string qualify(const Program* owner, const Program* from, const std::string& name) {
  if (!owner || owner == from || !from) return name;
  return owner->name + "." + name;
}
}  // namespace

std::string Type::to_idl(const Program* from) const {
  switch (kind) {
    case TypeKind::List: return "list<" + elem->to_idl(from) + ">";
    case TypeKind::Set: return "set<" + elem->to_idl(from) + ">";
    case TypeKind::Map: return "map<" + key->to_idl(from) + "," + value->to_idl(from) + ">";
    case TypeKind::Struct: return qualify(struct_def->program, from, struct_def->name);
    case TypeKind::Enum: return qualify(enum_def->program, from, enum_def->name);
    case TypeKind::Typedef: return qualify(typedef_def->program, from, typedef_def->name);
    case TypeKind::Named: return name;
    default: return base_type_name(kind);
  }
}

const Field* StructDef::field_by_name(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &fields[static_cast<size_t>(it->second)];
}

std::string StructDef::qualified_name() const { return program ? program->name + "." + name : name; }

void StructDef::build_index() {
  by_name_.clear();
  json_keys_.clear();
  by_id_order_.clear();
  required_.clear();
  id_slots_.clear();
  if (fields.empty()) return;
  int32_t lo = fields[0].id, hi = fields[0].id;
  for (const Field& f : fields) {
    lo = std::min(lo, f.id);
    hi = std::max(hi, f.id);
  }
  min_id_ = lo;
  id_slots_.assign(static_cast<size_t>(hi - lo + 1), -1);
  for (size_t i = 0; i < fields.size(); ++i) {
    id_slots_[static_cast<size_t>(fields[i].id - lo)] = static_cast<int32_t>(i);
    by_name_.emplace(fields[i].name, static_cast<int32_t>(i));
    json_keys_.push_back("\"" + fields[i].name + "\":");
    by_id_order_.push_back(&fields[i]);
    if (fields[i].requiredness == Requiredness::Required) required_.push_back(&fields[i]);
  }
  std::sort(by_id_order_.begin(), by_id_order_.end(), [](const Field* a, const Field* b) { return a->id < b->id; });
}

const EnumValue* EnumDef::find(std::string_view name) const {
  for (const EnumValue& v : values)
    if (v.name == name) return &v;
  return nullptr;
}

const EnumValue* EnumDef::find(int32_t value) const {
  for (const EnumValue& v : values)
    if (v.value == value) return &v;
  return nullptr;
}

std::string EnumDef::qualified_name() const { return program ? program->name + "." + name : name; }

std::vector<const Function*> Service::all_functions() const {
  std::vector<const Function*> out;
  // A set, not a scan of `out`: over an extends chain of thousands of
  // services the scan made each call quadratic.
  std::unordered_set<std::string_view> seen;
  for (const Service* s = this; s; s = s->extends) {
    for (const auto& fn : s->functions)
      if (seen.insert(fn->name).second) out.push_back(fn.get());
  }
  return out;
}

const Function* Service::find_function(std::string_view name) const {
  for (const Service* s = this; s; s = s->extends)
    for (const auto& fn : s->functions)
      if (fn->name == name) return fn.get();
  return nullptr;
}

std::string Service::qualified_name() const { return program ? program->name + "." + name : name; }

Type* Program::new_type(TypeKind kind, SourceLocation location) {
  auto type = std::make_unique<Type>();
  type->kind = kind;
  type->location = location;
  types.push_back(std::move(type));
  return types.back().get();
}

const Program* Program::find_include(std::string_view include_name) const {
  for (const Include& inc : includes)
    if (inc.program && inc.program->name == include_name) return inc.program;
  return nullptr;
}

namespace {
template <class Map>
auto find_in(const Map& map, std::string_view name) -> typename Map::mapped_type {
  auto it = map.find(std::string(name));
  return it == map.end() ? nullptr : it->second;
}
}  // namespace

const StructDef* Program::find_struct(std::string_view n) const { return find_in(names.structs, n); }
const EnumDef* Program::find_enum(std::string_view n) const { return find_in(names.enums, n); }
const TypedefDef* Program::find_typedef(std::string_view n) const { return find_in(names.typedefs, n); }
const ConstDef* Program::find_const(std::string_view n) const { return find_in(names.consts, n); }
const Service* Program::find_service(std::string_view n) const { return find_in(names.services, n); }
const Type* Program::find_type(std::string_view n) const { return find_in(names.types, n); }

Schema::Schema() = default;
Schema::~Schema() = default;
Schema::Schema(Schema&&) noexcept = default;
Schema& Schema::operator=(Schema&&) noexcept = default;

Program& Schema::add_program(std::unique_ptr<Program> program) {
  programs_.push_back(std::move(program));
  return *programs_.back();
}

const std::string* Schema::intern_path(const std::string& path) {
  for (const auto& p : paths_)
    if (*p == path) return p.get();
  paths_.push_back(std::make_unique<std::string>(path));
  return paths_.back().get();
}

namespace {

// Looks `name` up as "Name" or "program.Name" with `find` (a Program member
// lookup): the roots first, then every program. Ambiguous bare names throw.
template <class T, class Find>
const T* find_named(const std::vector<const Program*>& roots, const std::vector<std::unique_ptr<Program>>& programs,
                    std::string_view name, const char* what, Find find) {
  size_t dot = name.find('.');
  if (dot != std::string_view::npos) {
    std::string_view prefix = name.substr(0, dot), rest = name.substr(dot + 1);
    for (const auto& p : programs)
      if (p->name == prefix)
        if (const T* found = find(*p, rest)) return found;
  }
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<const Program*> where;
    const T* found = nullptr;
    auto consider = [&](const Program* p) {
      if (const T* f = find(*p, name)) {
        if (found != f) where.push_back(p);
        found = f;
      }
    };
    if (pass == 0) {
      for (const Program* p : roots) consider(p);
    } else {
      for (const auto& p : programs) consider(p.get());
    }
    if (where.size() > 1) {
      std::string list;
      for (const Program* p : where) list += (list.empty() ? "" : ", ") + p->name + "." + std::string(name);
      throw Error(ErrorKind::Usage, std::string(what) + " \"" + std::string(name) + "\" is ambiguous: " + list);
    }
    if (found) return found;
  }
  return nullptr;
}

}  // namespace

const Service* Schema::find_service(std::string_view name) const {
  return find_named<Service>(roots_, programs_, name, "service",
                             [](const Program& p, std::string_view n) { return p.find_service(n); });
}

const Function* Schema::find_function(std::string_view service_dot_method) const {
  size_t dot = service_dot_method.rfind('.');
  if (dot == std::string_view::npos) return nullptr;
  const Service* service = find_service(service_dot_method.substr(0, dot));
  return service ? service->find_function(service_dot_method.substr(dot + 1)) : nullptr;
}

const Type* Schema::find_type(std::string_view name) const {
  return find_named<Type>(roots_, programs_, name, "type",
                          [](const Program& p, std::string_view n) { return p.find_type(n); });
}

std::vector<std::string> StructDef::field_names() const {
  std::vector<std::string> names;
  for (const Field* f : by_id_order_) names.push_back(f->name);
  return names;
}

std::vector<std::string> EnumDef::value_names() const {
  std::vector<std::string> names;
  for (const EnumValue& v : values) names.push_back(v.name);
  return names;
}

std::vector<std::string> Service::function_names() const {
  std::vector<std::string> names;
  for (const Function* f : all_functions()) names.push_back(f->name);
  return names;
}

std::vector<std::string> Schema::service_names() const {
  std::vector<std::string> names;
  for (const auto& p : programs_)
    for (const auto& s : p->services) names.push_back(s->name);
  return names;
}

std::vector<std::string> Schema::type_names() const {
  std::vector<std::string> names;
  for (const auto& p : programs_) {
    for (const auto& s : p->structs) names.push_back(s->name);
    for (const auto& e : p->enums) names.push_back(e->name);
    for (const auto& t : p->typedefs) names.push_back(t->name);
  }
  return names;
}

std::vector<std::string> Schema::method_names() const {
  std::vector<std::string> names;
  for (const auto& p : programs_)
    for (const auto& s : p->services)
      for (const Function* f : s->all_functions()) names.push_back(s->name + "." + f->name);
  return names;
}

std::vector<std::string> Schema::services_with_method(std::string_view method) const {
  std::vector<std::string> names;
  for (const auto& p : programs_)
    for (const auto& s : p->services)
      if (s->find_function(method)) names.push_back(s->name + "." + std::string(method));
  return names;
}

}  // namespace thrift_call::idl
