#include "core/repl/completion.h"

#include <algorithm>

namespace thrift_call::repl {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

void add_if_prefixed(std::vector<std::string>& out, std::string_view prefix, std::string candidate) {
  if (starts_with(candidate, prefix)) out.push_back(std::move(candidate));
}

std::vector<const idl::Service*> all_services(const idl::Schema& schema) {
  std::vector<const idl::Service*> out;
  for (const auto& program : schema.programs())
    for (const auto& service : program->services) out.push_back(service.get());
  return out;
}

const idl::Service* find_service_quietly(const idl::Schema& schema, std::string_view name) {
  try {
    return schema.find_service(name);
  } catch (...) {  // an ambiguous bare name: nothing to complete from
    return nullptr;
  }
}

// Services ("Service."), "Service.method", and the selected service's methods.
void add_call_targets(std::vector<std::string>& out, const idl::Schema& schema, const std::string& service,
                      std::string_view prefix) {
  for (const idl::Service* s : all_services(schema)) {
    if (prefix.find('.') == std::string_view::npos) {
      add_if_prefixed(out, prefix, s->name + ".");
    } else {
      for (const idl::Function* f : s->all_functions()) add_if_prefixed(out, prefix, s->name + "." + f->name);
    }
  }
  if (!service.empty()) {
    if (const idl::Service* s = find_service_quietly(schema, service))
      for (const idl::Function* f : s->all_functions()) add_if_prefixed(out, prefix, f->name);
  }
}

// Where the cursor is inside the JSON: the struct whose keys may be typed,
// or the type of the value being typed.
struct JsonPosition {
  bool key = false;                    // a key is due (in an object)
  const idl::StructDef* fields = nullptr;  // with `key`: the object's struct, if it is one
  const idl::Type* value = nullptr;    // without `key`: the value's type, if known
  bool in_string = false;
  size_t token_start = 0;  // where the partial key or value begins (its quote included)
};

const idl::Type* true_type(const idl::Type* type) { return type ? type->true_type() : nullptr; }

JsonPosition locate(const idl::StructDef& args, std::string_view json, size_t offset) {
  enum class Phase { Key, Colon, Value, After };
  struct Frame {
    bool object = false;
    const idl::Type* type = nullptr;       // the container's own type (null: unknown or the arguments)
    const idl::StructDef* fields = nullptr;  // object of a struct
    Phase phase = Phase::Key;
    std::string key;
  };
  auto child_type = [](const Frame& f) -> const idl::Type* {
    if (f.fields) {
      const idl::Field* field = f.fields->field_by_name(f.key);
      return field ? true_type(field->type) : nullptr;
    }
    if (!f.type) return nullptr;
    if (f.type->kind == idl::TypeKind::Map) return f.object ? true_type(f.type->value) : nullptr;
    if (f.type->kind == idl::TypeKind::List || f.type->kind == idl::TypeKind::Set) return true_type(f.type->elem);
    return nullptr;
  };
  std::vector<Frame> stack;
  bool in_string = false, escaped = false;
  size_t string_start = 0;
  std::string string_text;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
        string_text += c;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
        if (!stack.empty() && stack.back().object && stack.back().phase == Phase::Key) {
          stack.back().key = string_text;
          stack.back().phase = Phase::Colon;
        } else if (!stack.empty() && stack.back().object) {
          stack.back().phase = Phase::After;
        }
      } else {
        string_text += c;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        string_start = i;
        string_text.clear();
        break;
      case '{':
      case '[': {
        Frame f;
        f.object = c == '{';
        if (stack.empty()) {
          f.fields = f.object ? &args : nullptr;
        } else {
          f.type = child_type(stack.back());
          if (stack.back().object) stack.back().phase = Phase::After;
          if (f.object && f.type && f.type->kind == idl::TypeKind::Struct) f.fields = f.type->struct_def;
        }
        stack.push_back(std::move(f));
        break;
      }
      case '}':
      case ']':
        if (!stack.empty()) stack.pop_back();
        break;
      case ':':
        if (!stack.empty() && stack.back().object) stack.back().phase = Phase::Value;
        break;
      case ',':
        if (!stack.empty() && stack.back().object) stack.back().phase = Phase::Key;
        break;
      default:
        break;
    }
  }
  JsonPosition at;
  if (stack.empty()) return at;
  const Frame& top = stack.back();
  at.in_string = in_string;
  if (in_string) {
    at.token_start = offset + string_start;
  } else {
    size_t s = json.size();
    while (s > 0 && is_word_char(json[s - 1]) && json[s - 1] != '.') --s;
    at.token_start = offset + s;
  }
  if (top.object && top.phase == Phase::Key) {
    at.key = true;
    at.fields = top.fields;
  } else if (!top.object || top.phase == Phase::Value) {
    at.value = child_type(top);
  }
  return at;
}

}  // namespace

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = {"connect", "describe", "header", "help",  "list",    "load",
                                                 "quit",    "send",     "set",    "template", "use",  "verbose"};
  return names;
}

const idl::Function* resolve_method(const idl::Schema& schema, const std::string& service, std::string_view name) {
  try {
    if (name.find('.') != std::string_view::npos) return schema.find_function(name);
    if (service.empty()) return nullptr;
    const idl::Service* s = schema.find_service(service);
    return s ? s->find_function(name) : nullptr;
  } catch (...) {  // ambiguous names
    return nullptr;
  }
}

Completion complete(const idl::Schema* schema, const std::string& service, std::string_view line) {
  Completion out;
  size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) first = line.size();
  std::string_view text = line.substr(first);
  size_t word_end = text.find_first_of(" \t\n{");

  if (!text.empty() && text.front() == '.') {
    if (word_end == std::string_view::npos) {  // the command itself
      out.start = first;
      for (const std::string& name : command_names()) add_if_prefixed(out.candidates, text, "." + name);
      return out;
    }
    // A command's argument: services for .use, methods and types for the rest.
    std::string_view command = text.substr(0, word_end);
    size_t arg = line.size();
    while (arg > 0 && is_word_char(line[arg - 1])) --arg;
    out.start = arg;
    std::string_view prefix = line.substr(arg);
    if (command == ".verbose") {
      for (const char* v : {"on", "off"}) add_if_prefixed(out.candidates, prefix, v);
    } else if (command == ".set") {
      // The first argument names the setting, the second is its value.
      std::string_view before = line.substr(first + word_end, arg - (first + word_end));
      size_t setting_start = before.find_first_not_of(" \t");
      if (setting_start == std::string_view::npos) {
        for (const char* v : {"multiplex", "protocol", "timeout", "transport"}) add_if_prefixed(out.candidates, prefix, v);
      } else {
        std::string_view setting = before.substr(setting_start);
        if (starts_with(setting, "protocol"))
          for (const char* v : {"auto", "binary", "compact", "json"}) add_if_prefixed(out.candidates, prefix, v);
        else if (starts_with(setting, "transport"))
          for (const char* v : {"auto", "buffered", "framed", "header", "framed+header", "zlib"})
            add_if_prefixed(out.candidates, prefix, v);
        else if (starts_with(setting, "multiplex"))
          for (const char* v : {"off", "on"}) add_if_prefixed(out.candidates, prefix, v);
      }
    } else if (schema && command == ".use") {
      for (const idl::Service* s : all_services(*schema)) add_if_prefixed(out.candidates, prefix, s->name);
    } else if (schema && (command == ".template" || command == ".send" || command == ".describe")) {
      add_call_targets(out.candidates, *schema, service, prefix);
      if (command == ".describe") {
        for (const idl::Service* s : all_services(*schema)) add_if_prefixed(out.candidates, prefix, s->name);
        for (const auto& program : schema->programs()) {
          for (const auto& s : program->structs) add_if_prefixed(out.candidates, prefix, s->name);
          for (const auto& e : program->enums) add_if_prefixed(out.candidates, prefix, e->name);
        }
      }
    }
    std::sort(out.candidates.begin(), out.candidates.end());
    out.candidates.erase(std::unique(out.candidates.begin(), out.candidates.end()), out.candidates.end());
    return out;
  }

  if (!schema) return out;
  if (word_end == std::string_view::npos) {  // the method
    out.start = first;
    add_call_targets(out.candidates, *schema, service, text);
    std::sort(out.candidates.begin(), out.candidates.end());
    out.candidates.erase(std::unique(out.candidates.begin(), out.candidates.end()), out.candidates.end());
    return out;
  }
  const idl::Function* fn = resolve_method(*schema, service, text.substr(0, word_end));
  size_t json_start = text.find('{', word_end);
  if (!fn || json_start == std::string_view::npos) return out;
  JsonPosition at = locate(fn->args, text.substr(json_start), first + json_start);
  out.start = at.token_start;
  std::string_view partial = line.substr(at.token_start);
  if (at.key && at.fields) {
    for (const idl::Field* f : at.fields->fields_in_id_order()) add_if_prefixed(out.candidates, partial, "\"" + f->name + "\": ");
    // An unquoted partial name ("na" for "name") completes too.
    if (!at.in_string && !partial.empty())
      for (const idl::Field* f : at.fields->fields_in_id_order())
        if (starts_with(f->name, partial)) out.candidates.push_back("\"" + f->name + "\": ");
  } else if (at.value && at.value->kind == idl::TypeKind::Enum && at.value->enum_def) {
    for (const idl::EnumValue& v : at.value->enum_def->values) add_if_prefixed(out.candidates, partial, "\"" + v.name + "\"");
    if (!at.in_string && !partial.empty())
      for (const idl::EnumValue& v : at.value->enum_def->values)
        if (starts_with(v.name, partial)) out.candidates.push_back("\"" + v.name + "\"");
  } else if (at.value && at.value->kind == idl::TypeKind::Bool) {
    for (const char* v : {"false", "true"}) add_if_prefixed(out.candidates, partial, v);
  }
  std::sort(out.candidates.begin(), out.candidates.end());
  out.candidates.erase(std::unique(out.candidates.begin(), out.candidates.end()), out.candidates.end());
  return out;
}

}  // namespace thrift_call::repl
