#include "core/idl_views/describe.h"

#include <algorithm>
#include <vector>

#include "idl/closest_names.h"
#include "base/error.h"

namespace thrift_call {
namespace {

using namespace idl;

std::string doc_comment(const std::string& doc, const std::string& indent) {
  if (doc.empty()) return "";
  std::string out = indent + "/**\n";
  size_t start = 0;
  while (start < doc.size()) {
    size_t nl = doc.find('\n', start);
    std::string line = doc.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out += indent + (line.empty() ? " *" : " * " + line) + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out + indent + " */\n";
}

std::string annotations_text(const Annotations& annotations) {
  if (annotations.empty()) return "";
  std::string out = " (";
  for (size_t i = 0; i < annotations.size(); ++i)
    out += (i ? ", " : "") + annotations[i].first + " = \"" + annotations[i].second + "\"";
  return out + ")";
}

std::string field_text(const Field& f, const Program* from) {
  std::string out = std::to_string(f.id) + ": ";
  if (f.requiredness != Requiredness::Default) out += std::string(to_string(f.requiredness)) + " ";
  out += f.type->to_idl(from) + " " + f.name;
  if (f.default_value) out += " = " + f.default_value->to_idl();
  return out + annotations_text(f.annotations);
}

std::string field_list(const std::vector<Field>& fields, const Program* from) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? ", " : "") + field_text(fields[i], from);
  return out;
}

std::string struct_text(const StructDef& s) {
  const char* keyword = s.kind == StructKind::Union ? "union" : s.kind == StructKind::Exception ? "exception" : "struct";
  std::string out = doc_comment(s.doc, "") + keyword + " " + s.qualified_name() + " {\n";
  for (const Field& f : s.fields) out += doc_comment(f.doc, "  ") + "  " + field_text(f, s.program) + "\n";
  return out + "}" + annotations_text(s.annotations) + "\n";
}

std::string enum_text(const EnumDef& e) {
  std::string out = doc_comment(e.doc, "") + "enum " + e.qualified_name() + " {\n";
  for (const EnumValue& v : e.values)
    out += doc_comment(v.doc, "  ") + "  " + v.name + " = " + std::to_string(v.value) + "\n";
  return out + "}" + annotations_text(e.annotations) + "\n";
}

std::string typedef_text(const TypedefDef& t) {
  return doc_comment(t.doc, "") + "typedef " + t.type->to_idl(t.program) + " " +
         (t.program ? t.program->name + "." : "") + t.name + annotations_text(t.annotations) + "\n";
}

std::string service_text(const Service& s) {
  std::string out = doc_comment(s.doc, "") + "service " + s.qualified_name();
  if (s.extends) out += " extends " + s.extends->qualified_name();
  out += " {\n";
  for (const Function* fn : s.all_functions()) {
    out += doc_comment(fn->doc, "  ") + "  " + function_signature(*fn, s.program);
    if (fn->service != &s) out += "  // inherited from " + fn->service->qualified_name();
    out += "\n";
  }
  return out + "}\n";
}

}  // namespace

std::string function_signature(const Function& fn, const Program* from) {
  std::string out = fn.oneway ? "oneway " : "";
  out += fn.return_type->to_idl(from) + " " + fn.name + "(" + field_list(fn.args.fields, from) + ")";
  if (!fn.exceptions.empty()) out += " throws (" + field_list(fn.exceptions, from) + ")";
  return out;
}

namespace {

// The name as the user must write it: qualified when another file has a
// definition of the same name (`has` looks it up in a program).
template <class Has>
std::string printed_name(const Schema& schema, const Program& program, const std::string& name, Has has) {
  for (const auto& other : schema.programs())
    if (other.get() != &program && has(*other, name)) return program.name + "." + name;
  return name;
}

}  // namespace

std::string list_methods(const Schema& schema, const std::string& only) {
  const Service* chosen = nullptr;
  if (!only.empty()) {
    chosen = schema.find_service(only);
    if (!chosen)
      throw Error(ErrorKind::Usage, "no service \"" + only + "\" in the IDL" + did_you_mean(schema.service_names(), only),
                  "try `thrift-call list`");
  }
  auto has_service = [](const Program& p, const std::string& n) { return p.find_service(n) != nullptr; };
  std::string out;
  for (const auto& program : schema.programs()) {
    for (const auto& service : program->services) {
      if (chosen && chosen != service.get()) continue;
      std::string prefix = printed_name(schema, *program, service->name, has_service);
      std::vector<const Function*> functions = service->all_functions();
      for (const Function* fn : functions) {
        out += prefix + "." + fn->name;
        if (fn->service != service.get()) out += "  (from " + fn->service->qualified_name() + ")";
        out += "\n";
      }
      if (functions.empty()) out += prefix + "\n";
    }
  }
  return out;
}

std::string list_types(const Schema& schema) {
  auto has_type = [](const Program& p, const std::string& n) { return p.find_type(n) != nullptr; };
  std::string out;
  for (const auto& program : schema.programs()) {
    struct Line {
      int at;
      const char* kind;
      const std::string* name;
    };
    std::vector<Line> lines;
    for (const auto& s : program->structs)
      lines.push_back({s->location.line,
                       s->kind == StructKind::Union ? "union" : s->kind == StructKind::Exception ? "exception" : "struct",
                       &s->name});
    for (const auto& e : program->enums) lines.push_back({e->location.line, "enum", &e->name});
    for (const auto& t : program->typedefs) lines.push_back({t->location.line, "typedef", &t->name});
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.at < b.at; });
    for (const Line& line : lines)
      out += std::string(line.kind) + " " + printed_name(schema, *program, *line.name, has_type) + "\n";
  }
  return out;
}

std::string suggest_names(const Schema& schema, std::string_view name) {
  if (name.find('.') == std::string_view::npos) {
    std::vector<std::string> qualified = schema.services_with_method(name);
    if (!qualified.empty()) return did_you_mean(qualified);
  }
  std::vector<std::string> names = schema.service_names();
  std::vector<std::string> types = schema.type_names();
  std::vector<std::string> methods = schema.method_names();
  names.insert(names.end(), types.begin(), types.end());
  names.insert(names.end(), methods.begin(), methods.end());
  return did_you_mean(names, name);
}

std::string describe(const Schema& schema, std::string_view name) {
  if (const Service* s = schema.find_service(name)) return service_text(*s);
  if (const Type* t = schema.find_type(name)) {
    switch (t->kind) {
      case TypeKind::Struct: return struct_text(*t->struct_def);
      case TypeKind::Enum: return enum_text(*t->enum_def);
      case TypeKind::Typedef: return typedef_text(*t->typedef_def);
      default: break;
    }
  }
  if (name.find('.') != std::string_view::npos) {
    if (const Function* fn = schema.find_function(name)) {
      std::string out = doc_comment(fn->doc, "") + function_signature(*fn, fn->service->program) + "\n";
      return out;
    }
  }
  throw Error(ErrorKind::Usage, "nothing named \"" + std::string(name) + "\" in the IDL" + suggest_names(schema, name),
              "try `thrift-call list`");
}

}  // namespace thrift_call
