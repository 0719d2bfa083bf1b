#include "core/idl_views/schema_json.h"

#include <algorithm>
#include <cstdio>

namespace thrift_call {
namespace {

using nlohmann::ordered_json;
using namespace idl;

// The compiler's name for a resolved type. It resolves enums to their
// underlying i32 before naming them.
std::string type_id(const Type& declared) {
  const Type* t = declared.true_type();
  switch (t->kind) {
    case TypeKind::List: return "list";
    case TypeKind::Set: return "set";
    case TypeKind::Map: return "map";
    case TypeKind::Enum: return "i32";
    case TypeKind::Struct:
      switch (t->struct_def->kind) {
        case StructKind::Struct: return "struct";
        case StructKind::Union: return "union";
        case StructKind::Exception: return "exception";
      }
      return "struct";
    default: return base_type_name(t->kind);
  }
}

std::string qualified(const Program* owner, const std::string& name, const Program& from) {
  return owner == &from ? name : owner->name + "." + name;
}

ordered_json sorted_annotations(const Annotations& annotations) {
  Annotations sorted = annotations;
  std::sort(sorted.begin(), sorted.end());
  ordered_json out = ordered_json::object();
  for (const auto& [k, v] : sorted) out[k] = v;
  return out;
}

bool needs_type_object(const Type& declared) {
  const Type* t = declared.true_type();
  return t->kind == TypeKind::Struct || t->kind == TypeKind::List || t->kind == TypeKind::Set ||
         t->kind == TypeKind::Map;
}

ordered_json type_object(const Type& declared, const Program& from) {
  const Type* t = declared.true_type();
  ordered_json out;
  out["typeId"] = type_id(*t);
  const Annotations& annotations = t->kind == TypeKind::Struct ? t->struct_def->annotations : t->annotations;
  if (!annotations.empty()) out["annotations"] = sorted_annotations(annotations);
  switch (t->kind) {
    case TypeKind::Struct:
      out["class"] = qualified(t->struct_def->program, t->struct_def->name, from);
      break;
    case TypeKind::Map:
      out["keyTypeId"] = type_id(*t->key);
      out["valueTypeId"] = type_id(*t->value);
      if (needs_type_object(*t->key)) out["keyType"] = type_object(*t->key, from);
      if (needs_type_object(*t->value)) out["valueType"] = type_object(*t->value, from);
      break;
    case TypeKind::List:
    case TypeKind::Set:
      out["elemTypeId"] = type_id(*t->elem);
      if (needs_type_object(*t->elem)) out["elemType"] = type_object(*t->elem, from);
      break;
    default:
      break;
  }
  return out;
}

// Doubles as the compiler prints them: 15 significant digits.
ordered_json double_value(double d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  return ordered_json::parse(buf, nullptr, false).is_discarded() ? ordered_json(d) : ordered_json::parse(buf);
}

ordered_json const_value(const ConstValue& v);

std::string key_text(const ConstValue& v) {
  switch (v.kind) {
    case ConstValue::Kind::String: return v.text;
    case ConstValue::Kind::Integer: return std::to_string(v.integer);
    case ConstValue::Kind::Double: return double_value(v.dbl).dump();
    default: return const_value(v).dump();
  }
}

ordered_json const_value(const ConstValue& v) {
  switch (v.kind) {
    case ConstValue::Kind::Integer: return v.integer;
    case ConstValue::Kind::Double: return double_value(v.dbl);
    case ConstValue::Kind::String:
    case ConstValue::Kind::Identifier: return v.text;
    case ConstValue::Kind::List: {
      ordered_json out = ordered_json::array();
      for (const ConstValue& item : v.list) out.push_back(const_value(item));
      return out;
    }
    case ConstValue::Kind::Map: {
      ordered_json out = ordered_json::object();
      for (const auto& [k, item] : v.map) out[key_text(k)] = const_value(item);
      return out;
    }
  }
  return nullptr;
}

void put_type(ordered_json& out, const char* id_key, const char* object_key, const Type& type, const Program& from) {
  out[id_key] = type_id(type);
  if (needs_type_object(type)) out[object_key] = type_object(type, from);
}

ordered_json field_json(const Field& f, const Program& from) {
  ordered_json out;
  out["key"] = f.id;
  out["name"] = f.name;
  put_type(out, "typeId", "type", *f.type, from);
  if (!f.doc.empty()) out["doc"] = f.doc;
  if (!f.annotations.empty()) out["annotations"] = sorted_annotations(f.annotations);
  out["required"] = f.requiredness == Requiredness::Required   ? "required"
                    : f.requiredness == Requiredness::Optional ? "optional"
                                                               : "req_out";
  if (f.default_value) out["default"] = const_value(*f.default_value);
  return out;
}

ordered_json fields_json(const std::vector<Field>& fields, const Program& from) {
  ordered_json out = ordered_json::array();
  for (const Field& f : fields) out.push_back(field_json(f, from));
  return out;
}

}  // namespace

ordered_json to_thrift_json(const Program& program) {
  ordered_json doc;
  doc["name"] = program.name;
  if (!program.doc.empty()) doc["doc"] = program.doc;
  doc["namespaces"] = ordered_json::object();
  for (const auto& [lang, ns] : program.namespaces) doc["namespaces"][lang] = ns;
  doc["includes"] = ordered_json::array();
  for (const Include& inc : program.includes) doc["includes"].push_back(inc.program->name);

  doc["enums"] = ordered_json::array();
  for (const auto& e : program.enums) {
    ordered_json out;
    out["name"] = e->name;
    if (!e->doc.empty()) out["doc"] = e->doc;
    if (!e->annotations.empty()) out["annotations"] = sorted_annotations(e->annotations);
    out["members"] = ordered_json::array();
    for (const EnumValue& v : e->values) {
      ordered_json m;
      m["name"] = v.name;
      m["value"] = v.value;
      if (!v.doc.empty()) m["doc"] = v.doc;
      out["members"].push_back(std::move(m));
    }
    doc["enums"].push_back(std::move(out));
  }

  doc["typedefs"] = ordered_json::array();
  for (const auto& t : program.typedefs) {
    ordered_json out;
    out["name"] = t->name;
    put_type(out, "typeId", "type", *t->type, program);
    if (!t->doc.empty()) out["doc"] = t->doc;
    if (!t->annotations.empty()) out["annotations"] = sorted_annotations(t->annotations);
    doc["typedefs"].push_back(std::move(out));
  }

  doc["structs"] = ordered_json::array();
  for (const auto& s : program.structs) {
    ordered_json out;
    out["name"] = s->name;
    if (!s->doc.empty()) out["doc"] = s->doc;
    if (!s->annotations.empty()) out["annotations"] = sorted_annotations(s->annotations);
    out["isException"] = s->kind == StructKind::Exception;
    out["isUnion"] = s->kind == StructKind::Union;
    out["fields"] = fields_json(s->fields, program);
    doc["structs"].push_back(std::move(out));
  }

  doc["constants"] = ordered_json::array();
  for (const auto& c : program.consts) {
    ordered_json out;
    out["name"] = c->name;
    put_type(out, "typeId", "type", *c->type, program);
    if (!c->doc.empty()) out["doc"] = c->doc;
    out["value"] = const_value(c->value);
    doc["constants"].push_back(std::move(out));
  }

  doc["services"] = ordered_json::array();
  for (const auto& s : program.services) {
    ordered_json out;
    out["name"] = s->name;
    if (s->extends) out["extends"] = qualified(s->extends->program, s->extends->name, program);
    if (!s->doc.empty()) out["doc"] = s->doc;
    if (!s->annotations.empty()) out["annotations"] = sorted_annotations(s->annotations);
    out["functions"] = ordered_json::array();
    for (const auto& fn : s->functions) {
      ordered_json f;
      f["name"] = fn->name;
      f["returnTypeId"] = fn->return_type->kind == TypeKind::Void ? "void" : type_id(*fn->return_type);
      if (fn->return_type->kind != TypeKind::Void && needs_type_object(*fn->return_type))
        f["returnType"] = type_object(*fn->return_type, program);
      f["oneway"] = fn->oneway;
      if (!fn->doc.empty()) f["doc"] = fn->doc;
      if (!fn->annotations.empty()) f["annotations"] = sorted_annotations(fn->annotations);
      f["arguments"] = fields_json(fn->args.fields, program);
      f["exceptions"] = fields_json(fn->exceptions, program);
      out["functions"].push_back(std::move(f));
    }
    doc["services"].push_back(std::move(out));
  }
  return doc;
}

namespace {

ordered_json location_json(const SourceLocation& l) {
  return ordered_json{{"file", l.file ? *l.file : ""}, {"line", l.line}, {"column", l.column}};
}

ordered_json rich_type(const Type& t, const Program& from) {
  ordered_json out;
  switch (t.kind) {
    case TypeKind::List:
    case TypeKind::Set:
      out["type"] = t.kind == TypeKind::List ? "list" : "set";
      out["elem"] = rich_type(*t.elem, from);
      break;
    case TypeKind::Map:
      out["type"] = "map";
      out["key"] = rich_type(*t.key, from);
      out["value"] = rich_type(*t.value, from);
      break;
    case TypeKind::Struct:
      out["type"] = t.struct_def->kind == StructKind::Union       ? "union"
                    : t.struct_def->kind == StructKind::Exception ? "exception"
                                                                  : "struct";
      out["name"] = qualified(t.struct_def->program, t.struct_def->name, from);
      break;
    case TypeKind::Enum:
      out["type"] = "enum";
      out["name"] = qualified(t.enum_def->program, t.enum_def->name, from);
      break;
    case TypeKind::Typedef:
      out["type"] = "typedef";
      out["name"] = qualified(t.typedef_def->program, t.typedef_def->name, from);
      out["target"] = rich_type(*t.typedef_def->type, from);
      break;
    default:
      out["type"] = base_type_name(t.kind) ? base_type_name(t.kind) : "?";
  }
  if (!t.annotations.empty()) out["annotations"] = sorted_annotations(t.annotations);
  return out;
}

ordered_json rich_field(const Field& f, const Program& from) {
  ordered_json out;
  out["id"] = f.id;
  out["name"] = f.name;
  out["type"] = rich_type(*f.type, from);
  out["requiredness"] = to_string(f.requiredness);
  if (f.default_value) {
    out["default"] = const_value(*f.default_value);
    if (!f.default_value->reference.empty()) out["default_ref"] = f.default_value->reference;
  }
  if (f.id_assigned) out["id_assigned"] = true;
  if (f.reference) out["reference"] = true;
  if (!f.doc.empty()) out["doc"] = f.doc;
  if (!f.annotations.empty()) out["annotations"] = sorted_annotations(f.annotations);
  out["location"] = location_json(f.location);
  return out;
}

}  // namespace

ordered_json to_schema_json(const Program& program) {
  ordered_json doc;
  doc["name"] = program.name;
  doc["path"] = program.path;
  if (!program.doc.empty()) doc["doc"] = program.doc;
  doc["namespaces"] = ordered_json::object();
  for (const auto& [lang, ns] : program.namespaces) doc["namespaces"][lang] = ns;
  doc["includes"] = ordered_json::array();
  for (const Include& inc : program.includes)
    doc["includes"].push_back({{"name", inc.program->name}, {"path", inc.program->path}, {"as_written", inc.path_as_written}});
  doc["cpp_includes"] = program.cpp_includes;
  doc["enums"] = ordered_json::array();
  for (const auto& e : program.enums) {
    ordered_json out{{"name", e->name}};
    out["values"] = ordered_json::array();
    for (const auto& v : e->values) {
      ordered_json m{{"name", v.name}, {"value", v.value}};
      if (!v.doc.empty()) m["doc"] = v.doc;
      if (!v.annotations.empty()) m["annotations"] = sorted_annotations(v.annotations);
      out["values"].push_back(std::move(m));
    }
    if (!e->doc.empty()) out["doc"] = e->doc;
    if (!e->annotations.empty()) out["annotations"] = sorted_annotations(e->annotations);
    out["location"] = location_json(e->location);
    doc["enums"].push_back(std::move(out));
  }
  doc["typedefs"] = ordered_json::array();
  for (const auto& t : program.typedefs) {
    ordered_json out{{"name", t->name}, {"type", rich_type(*t->type, program)}};
    if (!t->doc.empty()) out["doc"] = t->doc;
    if (!t->annotations.empty()) out["annotations"] = sorted_annotations(t->annotations);
    out["location"] = location_json(t->location);
    doc["typedefs"].push_back(std::move(out));
  }
  doc["structs"] = ordered_json::array();
  for (const auto& s : program.structs) {
    ordered_json out{{"name", s->name},
                     {"kind", s->kind == StructKind::Union       ? "union"
                              : s->kind == StructKind::Exception ? "exception"
                                                                 : "struct"}};
    out["fields"] = ordered_json::array();
    for (const Field& f : s->fields) out["fields"].push_back(rich_field(f, program));
    if (!s->doc.empty()) out["doc"] = s->doc;
    if (!s->annotations.empty()) out["annotations"] = sorted_annotations(s->annotations);
    out["location"] = location_json(s->location);
    doc["structs"].push_back(std::move(out));
  }
  doc["constants"] = ordered_json::array();
  for (const auto& c : program.consts) {
    ordered_json out{{"name", c->name}, {"type", rich_type(*c->type, program)}, {"value", const_value(c->value)}};
    if (!c->doc.empty()) out["doc"] = c->doc;
    out["location"] = location_json(c->location);
    doc["constants"].push_back(std::move(out));
  }
  doc["services"] = ordered_json::array();
  for (const auto& s : program.services) {
    ordered_json out{{"name", s->name}};
    if (s->extends) out["extends"] = qualified(s->extends->program, s->extends->name, program);
    out["functions"] = ordered_json::array();
    for (const Function* fn : s->all_functions()) {
      ordered_json f{{"name", fn->name}};
      if (fn->service != s.get()) f["inherited_from"] = fn->service->qualified_name();
      f["returns"] = rich_type(*fn->return_type, program);
      f["oneway"] = fn->oneway;
      f["arguments"] = ordered_json::array();
      for (const Field& a : fn->args.fields) f["arguments"].push_back(rich_field(a, program));
      f["throws"] = ordered_json::array();
      for (const Field& e : fn->exceptions) f["throws"].push_back(rich_field(e, program));
      if (!fn->doc.empty()) f["doc"] = fn->doc;
      if (!fn->annotations.empty()) f["annotations"] = sorted_annotations(fn->annotations);
      f["location"] = location_json(fn->location);
      out["functions"].push_back(std::move(f));
    }
    if (!s->doc.empty()) out["doc"] = s->doc;
    if (!s->annotations.empty()) out["annotations"] = sorted_annotations(s->annotations);
    out["location"] = location_json(s->location);
    doc["services"].push_back(std::move(out));
  }
  return doc;
}

}  // namespace thrift_call
