// The resolved schema model: what the codec and every verb look things up in.
//
// Built in three stages (STYLE.md, guideline 4): the parser fills these nodes
// with names as written; the resolver links names to definitions, checks
// values and builds the lookup indexes; after that the model is read-only.
//
// Typical use:
//   Schema schema = load_schema({"examples/person.thrift"}, {});
//   const Function* f = schema.find_function("PersonService.getPerson");
//   const Field* arg = f->args.field_by_name("name");
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "idl/const_value.h"
#include "idl/source_location.h"

namespace thrift_call::idl {

struct Program;
struct StructDef;
struct EnumDef;
struct TypedefDef;
struct Service;

// Annotations in source order; a key given twice keeps its last value.
using Annotations = std::vector<std::pair<std::string, std::string>>;

enum class TypeKind : uint8_t {
  Void, Bool, I8, I16, I32, I64, Double, String, Binary, Uuid,
  List, Set, Map,
  Struct,   // struct, union or exception: see StructDef::kind
  Enum,
  Typedef,
  Named,    // not resolved yet: only between parsing and resolution
};

const char* base_type_name(TypeKind kind);  // "i32", "string", ...; nullptr for non-base kinds

struct Type {
  TypeKind kind = TypeKind::Void;
  const Type* elem = nullptr;   // list, set
  const Type* key = nullptr;    // map
  const Type* value = nullptr;  // map
  const StructDef* struct_def = nullptr;
  const EnumDef* enum_def = nullptr;
  const TypedefDef* typedef_def = nullptr;
  std::string name;             // Named: as written, e.g. "shared.SharedStruct"
  Annotations annotations;      // on this use of the type: list<i32> (cpp.template = "...")
  SourceLocation location;

  // The type with every typedef followed.
  const Type* true_type() const { return kind == TypeKind::Typedef ? typedef_target() : this; }
  // How the type reads in IDL: "map<string,list<Person>>", "UserId", "shared.Work".
  std::string to_idl(const Program* from = nullptr) const;

 private:
  const Type* typedef_target() const;
};

// Whether a value of type `a` can stand for one of type `b`: the same
// type, typedefs seen through.
bool same_type(const Type& a, const Type& b);

enum class Requiredness { Default, Required, Optional };
const char* to_string(Requiredness r);  // "required", "optional", "default"

struct Field {
  int32_t id = 0;
  std::string name;
  Type* type = nullptr;
  Requiredness requiredness = Requiredness::Default;
  std::optional<ConstValue> default_value;
  bool reference = false;      // written with '&' (a C++ code-generation hint)
  bool id_assigned = false;    // no usable id in the source: the compiler assigned a negative one
  std::string doc;
  Annotations annotations;
  SourceLocation location;
};

enum class StructKind { Struct, Union, Exception };

struct StructDef {
  std::string name;
  StructKind kind = StructKind::Struct;
  std::vector<Field> fields;   // declaration order
  std::string doc;
  Annotations annotations;
  SourceLocation location;
  const Program* program = nullptr;

  // Lookup, valid once the resolver has called build_index().
  const Field* field_by_id(int32_t id) const {
    int64_t slot = int64_t{id} - min_id_;
    if (slot < 0 || slot >= static_cast<int64_t>(id_slots_.size())) return nullptr;
    int32_t index = id_slots_[static_cast<size_t>(slot)];
    return index < 0 ? nullptr : &fields[static_cast<size_t>(index)];
  }
  const Field* field_by_name(std::string_view name) const;
  // `"name":`, the field's key as JSON text (names are identifiers: nothing
  // to escape), made once for decoders that write many.
  std::string_view json_key(const Field& field) const {
    return json_keys_[static_cast<size_t>(&field - fields.data())];
  }
  // Fields in field-id order: the order Thrift's generated code writes them.
  const std::vector<const Field*>& fields_in_id_order() const { return by_id_order_; }
  const std::vector<const Field*>& required_fields() const { return required_; }
  std::vector<std::string> field_names() const;  // in field-id order
  std::string qualified_name() const;  // "program.Name"

  void build_index();

 private:
  int32_t min_id_ = 0;
  std::vector<int32_t> id_slots_;  // dense: id - min_id_ -> index in fields, -1 if none
  // Looked up by string_view without a copy of the key.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, int32_t, NameHash, std::equal_to<>> by_name_;
  std::vector<std::string> json_keys_;
  std::vector<const Field*> by_id_order_;
  std::vector<const Field*> required_;
};

struct EnumValue {
  std::string name;
  int32_t value = 0;
  bool explicit_value = false;
  std::string doc;
  Annotations annotations;
  SourceLocation location;
};

struct EnumDef {
  std::string name;
  std::vector<EnumValue> values;
  std::string doc;
  Annotations annotations;
  SourceLocation location;
  const Program* program = nullptr;

  const EnumValue* find(std::string_view name) const;
  const EnumValue* find(int32_t value) const;  // the first value declared with this number
  std::vector<std::string> value_names() const;
  std::string qualified_name() const;
};

struct TypedefDef {
  std::string name;
  Type* type = nullptr;
  std::string doc;
  Annotations annotations;
  SourceLocation location;
  const Program* program = nullptr;
};

struct ConstDef {
  std::string name;
  Type* type = nullptr;
  ConstValue value;
  std::string doc;
  SourceLocation location;
  const Program* program = nullptr;
};

struct Function {
  std::string name;
  Type* return_type = nullptr;   // kind Void for void
  bool oneway = false;
  // What goes on the wire: the "<name>_args" struct, and the "<name>_result"
  // struct with the return value as field 0 ("success", absent for void) and
  // every declared exception at its own id.
  StructDef args;
  StructDef result;
  std::vector<Field> exceptions;  // the throws clause as written
  std::string doc;
  Annotations annotations;
  SourceLocation location;
  const Service* service = nullptr;
};

struct Service {
  std::string name;
  std::string extends_name;       // as written
  const Service* extends = nullptr;
  std::vector<std::unique_ptr<Function>> functions;  // its own, declaration order
  std::string doc;
  Annotations annotations;
  SourceLocation location;
  const Program* program = nullptr;

  // Own functions first, then inherited ones, nearest ancestor first; a
  // function redefined lower down hides the inherited one.
  std::vector<const Function*> all_functions() const;
  const Function* find_function(std::string_view name) const;
  std::vector<std::string> function_names() const;  // all_functions()' names
  std::string qualified_name() const;
};

struct Include {
  std::string path_as_written;
  const Program* program = nullptr;
  SourceLocation location;
};

// One .thrift file.
struct Program {
  std::string name;   // file name without directory and ".thrift"
  std::string path;   // as loaded
  std::string doc;
  std::map<std::string, std::string> namespaces;  // language -> namespace ("*" included)
  std::vector<Include> includes;
  std::vector<std::string> cpp_includes;
  std::vector<std::unique_ptr<EnumDef>> enums;
  std::vector<std::unique_ptr<TypedefDef>> typedefs;
  std::vector<std::unique_ptr<StructDef>> structs;   // structs, unions and exceptions, in order
  std::vector<std::unique_ptr<ConstDef>> consts;
  std::vector<std::unique_ptr<Service>> services;
  std::vector<std::unique_ptr<Type>> types;          // owns every Type node of this file

  Type* new_type(TypeKind kind, SourceLocation location);
  const Program* find_include(std::string_view name) const;

  // Lookup by unqualified name within this file; nullptr if absent.
  const StructDef* find_struct(std::string_view name) const;
  const EnumDef* find_enum(std::string_view name) const;
  const TypedefDef* find_typedef(std::string_view name) const;
  const ConstDef* find_const(std::string_view name) const;
  const Service* find_service(std::string_view name) const;
  // A struct, union, exception, enum or typedef as a Type.
  const Type* find_type(std::string_view name) const;

  // Built by the resolver: every definition by name.
  struct Names {
    std::unordered_map<std::string, const StructDef*> structs;
    std::unordered_map<std::string, const EnumDef*> enums;
    std::unordered_map<std::string, const TypedefDef*> typedefs;
    std::unordered_map<std::string, const ConstDef*> consts;
    std::unordered_map<std::string, const Service*> services;
    std::unordered_map<std::string, const Type*> types;  // every named type, as a Type
  } names;
};

struct Warning {
  std::string message;
  SourceLocation location;
  std::string to_string() const { return location.to_string() + ": warning: " + message; }
};

// Every program loaded for one run: the files asked for (roots) and all they
// include. Owns the programs and the file paths locations point at.
class Schema {
 public:
  Schema();
  ~Schema();
  Schema(Schema&&) noexcept;
  Schema& operator=(Schema&&) noexcept;

  const std::vector<const Program*>& roots() const { return roots_; }
  const std::vector<std::unique_ptr<Program>>& programs() const { return programs_; }
  const std::vector<Warning>& warnings() const { return warnings_; }

  // Names are "Service", "program.Service"; a bare name is looked up in the
  // roots first, then in every program. nullptr when absent; throws an Error
  // (ErrorKind::Usage) listing the candidates when a bare name is ambiguous.
  const Service* find_service(std::string_view name) const;
  // "Service.method" or "program.Service.method".
  const Function* find_function(std::string_view service_dot_method) const;
  // A struct, union, exception, enum or typedef by (qualified) name.
  const Type* find_type(std::string_view name) const;

  // Names to suggest when a lookup fails (idl/closest_names.h), in
  // declaration order: every service; every struct, union, exception, enum
  // and typedef; "Service.method" of every method; "Service.method" for each
  // service that has `method` (how a bare method name is completed).
  std::vector<std::string> service_names() const;
  std::vector<std::string> type_names() const;
  std::vector<std::string> method_names() const;
  std::vector<std::string> services_with_method(std::string_view method) const;

  // For the loader and resolver.
  Program& add_program(std::unique_ptr<Program> program);
  void add_root(const Program* program) { roots_.push_back(program); }
  const std::string* intern_path(const std::string& path);
  void warn(std::string message, SourceLocation location) {
    warnings_.push_back({std::move(message), location});
  }

 private:
  std::vector<std::unique_ptr<Program>> programs_;  // dependencies before dependents
  std::vector<const Program*> roots_;
  std::vector<std::unique_ptr<std::string>> paths_;
  std::vector<Warning> warnings_;
};

}  // namespace thrift_call::idl
