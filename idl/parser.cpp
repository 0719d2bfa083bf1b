#include "idl/parser.h"

#include <climits>
#include <optional>
#include <unordered_map>

#include "base/error.h"
#include "idl/lexer.h"

namespace thrift_call::idl {
namespace {

// Syntax from other Thrift dialects, rejected with a name and an origin
// rather than a bare "syntax error".
const std::unordered_map<std::string_view, const char*>& foreign_words() {
  static const std::unordered_map<std::string_view, const char*> words = {
      {"senum", "\"senum\" was removed from Apache Thrift (0.10); use \"string\""},
      {"slist", "\"slist\" was removed from Apache Thrift (0.10); use \"list<string>\""},
      {"package", "\"package\" is fbthrift syntax, not Apache Thrift"},
      {"interaction", "\"interaction\" is fbthrift syntax, not Apache Thrift"},
      {"performs", "\"performs\" is fbthrift syntax, not Apache Thrift"},
      {"stream", "\"stream<>\" is fbthrift syntax, not Apache Thrift"},
      {"sink", "\"sink<>\" is fbthrift syntax, not Apache Thrift"},
  };
  return words;
}

// The reference compiler's clean-up of a doc comment: drop a common "*"
// margin and common indentation, trailing blanks and a leading empty line;
// every line ends in '\n'. Returns nullopt when the comment holds no text
// (the compiler then attaches nothing).
std::optional<std::string> clean_doc_comment(std::string_view inside) {
  // The compiler works on the text after "/**" with the closing "*/" turned
  // into one space; carriage returns are dropped.
  std::string text;
  text.reserve(inside.size() + 1);
  // Appended in runs between carriage returns: a character at a time, this
  // was a fifth of the parse of a file with many doc comments (callgrind).
  for (size_t cr; (cr = inside.find('\r')) != std::string_view::npos; inside.remove_prefix(cr + 1))
    text.append(inside.substr(0, cr));
  text.append(inside);
  text += ' ';

  std::vector<std::string_view> lines;
  std::string_view rest = text;
  for (;;) {
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) {
      if (rest.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(rest);
      break;
    }
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  if (lines.empty()) return std::nullopt;

  auto blank = [](std::string_view l) { return l.find_first_not_of(" \t") == std::string_view::npos; };
  size_t first = lines[0].find_first_not_of(" \t");
  lines[0] = first == std::string_view::npos ? std::string_view() : lines[0].substr(first);
  for (size_t i = 1; i < lines.size(); ++i)
    if (blank(lines[i])) lines[i] = std::string_view();

  // A star margin counts only if every non-blank line after the first has
  // its star at the same column.
  bool have_margin = true, found_margin = false;
  size_t margin = 0;
  for (size_t i = 1; i < lines.size() && have_margin; ++i) {
    if (lines[i].empty()) continue;
    size_t pos = lines[i].find_first_not_of(" \t");
    if (lines[i][pos] != '*' || (found_margin && pos != margin)) have_margin = false;
    found_margin = true;
    margin = pos;
  }
  auto drop = [](std::string_view l, size_t n) { return l.size() > n ? l.substr(n) : std::string_view(); };
  if (have_margin && found_margin)
    for (size_t i = 1; i < lines.size(); ++i) lines[i] = drop(lines[i], margin + 1);

  size_t indent = std::string_view::npos;
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t pos = lines[i].find_first_not_of(" \t");
    if (pos != std::string_view::npos && pos < indent) indent = pos;
  }
  if (indent != std::string_view::npos)
    for (size_t i = 1; i < lines.size(); ++i) lines[i] = drop(lines[i], indent);

  size_t start = lines[0].empty() ? 1 : 0;
  std::string out;
  out.reserve(text.size());
  for (size_t i = start; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    size_t last = line.find_last_not_of(" \t");
    if (last != std::string_view::npos) line = line.substr(0, last + 1);
    out += line;
    out += '\n';
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view source, const std::string* file, Program& program, Schema& schema)
      : lexer_(source, file), program_(program), schema_(schema) {
    advance();
  }

  void parse() {
    bool in_definitions = false;
    while (tok_.kind != TokenKind::End) {
      if (is_header_word()) {
        if (in_definitions)
          fail("\"" + std::string(tok_.text) + "\" must come before the first definition");
        pending_doc_.reset();  // a doc comment before a header belongs to nothing
        parse_header();
        continue;
      }
      in_definitions = true;
      std::optional<std::string> doc = capture_doc();
      parse_definition(doc);
    }
    if (candidate_ && status_ != DocStatus::AlreadyProcessed) program_.doc = *candidate_;
  }

 private:
  // The reference compiler decides whether the first doc comment of a file
  // documents the program or the first definition; these are its states.
  enum class DocStatus { Invalid, StillCandidate, AlreadyProcessed, AbsolutelySure, NoProgramDoc };

  void advance() {
    for (;;) {
      tok_ = lexer_.next();
      if (tok_.kind != TokenKind::DocComment) break;
      pending_doc_ = clean_doc_comment(tok_.value);
      last_doc_line_ = tok_.end_line;
      if (pending_doc_ && !candidate_ && status_ == DocStatus::Invalid) {
        candidate_ = pending_doc_;
        candidate_line_ = last_doc_line_;
        status_ = DocStatus::StillCandidate;
      }
    }
  }

  std::optional<std::string> capture_doc() {
    std::optional<std::string> doc = std::move(pending_doc_);
    pending_doc_.reset();
    return doc;
  }

  // Attaching a doc comment to a definition takes it away from the program
  // when it is the program's candidate.
  void set_doc(std::string& target, std::optional<std::string> doc) {
    if (!doc) return;
    target = std::move(*doc);
    if (candidate_line_ == last_doc_line_ && status_ == DocStatus::StillCandidate)
      status_ = DocStatus::AlreadyProcessed;
  }

  void declare_program_doc() {
    status_ = (candidate_ && status_ == DocStatus::StillCandidate) ? DocStatus::AbsolutelySure
                                                                   : DocStatus::NoProgramDoc;
  }

  SourceLocation here() const { return tok_.location; }

  [[noreturn]] void fail(const std::string& message) const {
    throw Error(ErrorKind::Idl, message, tok_.location.to_string());
  }

  std::string describe_token() const {
    switch (tok_.kind) {
      case TokenKind::End: return "end of file";
      case TokenKind::String: return "string \"" + tok_.value + "\"";
      default: return "'" + std::string(tok_.text) + "'";
    }
  }

  [[noreturn]] void unexpected(const std::string& expected) const {
    if (tok_.kind == TokenKind::Word) {
      auto it = foreign_words().find(tok_.text);
      if (it != foreign_words().end()) fail(it->second);
    }
    if (tok_.is('@')) fail("\"@\" annotations are fbthrift syntax, not Apache Thrift");
    fail("expected " + expected + ", found " + describe_token());
  }

  bool is_header_word() const {
    return tok_.is_word("include") || tok_.is_word("cpp_include") || tok_.is_word("namespace");
  }

  void expect(char punct, const char* what) {
    if (!tok_.is(punct)) unexpected(std::string("'") + punct + "' " + what);
    advance();
  }

  std::string expect_word(const char* what) {
    if (tok_.kind != TokenKind::Word) unexpected(what);
    std::string word(tok_.text);
    advance();
    return word;
  }

  std::string expect_string(const char* what) {
    if (tok_.kind != TokenKind::String) unexpected(what);
    std::string value = tok_.value;
    advance();
    return value;
  }

  // A name being defined: no dots, not a foreign keyword.
  std::string expect_name(const char* what) {
    if (tok_.kind == TokenKind::Word && foreign_words().count(tok_.text)) unexpected(what);
    if (tok_.kind == TokenKind::Word && tok_.text.find('.') != std::string_view::npos)
      fail(std::string(what) + " cannot contain '.': \"" + std::string(tok_.text) + "\"");
    return expect_word(what);
  }

  void skip_separator() {
    if (tok_.is(',') || tok_.is(';')) advance();
  }

  void parse_header() {
    if (tok_.is_word("include")) {
      SourceLocation location = here();
      advance();
      std::string path = expect_string("an include path in quotes");
      declare_program_doc();
      if (tok_.is(';'))
        fail("';' after include is not Apache Thrift syntax (thriftpy accepts it); remove it");
      program_.includes.push_back({path, nullptr, location});
    } else if (tok_.is_word("cpp_include")) {
      advance();
      declare_program_doc();
      program_.cpp_includes.push_back(expect_string("a cpp_include path in quotes"));
    } else {  // namespace
      advance();
      std::string scope;
      if (tok_.is('*')) {
        scope = "*";
        advance();
      } else {
        scope = expect_word("a namespace scope (a language name or '*')");
      }
      std::string name = expect_word("a namespace name");
      declare_program_doc();
      if (tok_.is('(')) parse_annotations();  // kept by nothing downstream
      program_.namespaces[scope] = name;
    }
  }

  void parse_definition(std::optional<std::string> doc) {
    if (tok_.kind != TokenKind::Word) unexpected("a definition (struct, enum, service, ...)");
    std::string_view word = tok_.text;
    if (word == "const") {
      parse_const(std::move(doc));
    } else if (word == "typedef") {
      parse_typedef(std::move(doc));
    } else if (word == "enum") {
      parse_enum(std::move(doc));
    } else if (word == "struct" || word == "union") {
      parse_struct(word == "union" ? StructKind::Union : StructKind::Struct, std::move(doc));
    } else if (word == "exception") {
      parse_struct(StructKind::Exception, std::move(doc));
    } else if (word == "service") {
      parse_service(std::move(doc));
    } else {
      unexpected("a definition (struct, union, exception, enum, typedef, const or service)");
    }
  }

  Annotations parse_annotations() {
    Annotations annotations;
    expect('(', "to open annotations");
    while (!tok_.is(')')) {
      std::string key = expect_word("an annotation name");
      std::string value = "1";  // what the reference compiler records for a bare key
      if (tok_.is('=')) {
        advance();
        value = expect_string("an annotation value in quotes");
      }
      bool replaced = false;
      for (auto& [k, v] : annotations) {
        if (k == key) {
          v = value;
          replaced = true;
        }
      }
      if (!replaced) annotations.emplace_back(std::move(key), std::move(value));
      skip_separator();
    }
    advance();
    return annotations;
  }

  Annotations maybe_annotations() { return tok_.is('(') ? parse_annotations() : Annotations{}; }

  struct DepthGuard {
    explicit DepthGuard(Parser& p) : parser(p) {
      if (++parser.depth_ > kMaxIdlNesting)
        parser.fail("nesting deeper than " + std::to_string(kMaxIdlNesting) + " levels");
    }
    ~DepthGuard() { --parser.depth_; }
    Parser& parser;
  };

  void skip_cpp_type() {
    if (tok_.is_word("cpp_type")) {
      advance();
      expect_string("a cpp_type name in quotes");
    }
  }

  Type* parse_type() {
    DepthGuard guard(*this);
    if (tok_.kind != TokenKind::Word) unexpected("a type");
    SourceLocation location = here();
    std::string_view word = tok_.text;
    static const std::unordered_map<std::string_view, TypeKind> base = {
        {"bool", TypeKind::Bool},     {"byte", TypeKind::I8},       {"i8", TypeKind::I8},
        {"i16", TypeKind::I16},       {"i32", TypeKind::I32},       {"i64", TypeKind::I64},
        {"double", TypeKind::Double}, {"string", TypeKind::String}, {"binary", TypeKind::Binary},
        {"uuid", TypeKind::Uuid},
    };
    Type* type = nullptr;
    if (auto it = base.find(word); it != base.end()) {
      if (word == "byte") schema_.warn("the \"byte\" type is a compatibility alias for \"i8\"", location);
      advance();
      type = program_.new_type(it->second, location);
    } else if (word == "list" || word == "set") {
      bool is_list = word == "list";
      advance();
      skip_cpp_type();
      expect('<', is_list ? "after list" : "after set");
      type = program_.new_type(is_list ? TypeKind::List : TypeKind::Set, location);
      type->elem = parse_type();
      expect('>', "to close the element type");
      if (is_list) skip_cpp_type();  // the deprecated trailing form
    } else if (word == "map") {
      advance();
      skip_cpp_type();
      expect('<', "after map");
      type = program_.new_type(TypeKind::Map, location);
      type->key = parse_type();
      expect(',', "between map key and value types");
      type->value = parse_type();
      expect('>', "to close the map types");
    } else if (word == "void") {
      fail("void is only a return type");
    } else {
      if (foreign_words().count(word)) unexpected("a type");
      type = program_.new_type(TypeKind::Named, location);
      type->name = std::string(word);
      advance();
      return type;  // annotations after a named type belong to the field or typedef
    }
    if (tok_.is('(')) type->annotations = parse_annotations();
    return type;
  }

  ConstValue parse_const_value() {
    DepthGuard guard(*this);
    ConstValue value;
    value.location = here();
    switch (tok_.kind) {
      case TokenKind::Integer:
        value.kind = ConstValue::Kind::Integer;
        value.integer = tok_.integer;
        advance();
        return value;
      case TokenKind::Double:
        value.kind = ConstValue::Kind::Double;
        value.dbl = tok_.dbl;
        advance();
        return value;
      case TokenKind::String:
        value.kind = ConstValue::Kind::String;
        value.text = tok_.value;
        advance();
        return value;
      case TokenKind::Word:
        if (tok_.text == "true" || tok_.text == "false") {
          value.kind = ConstValue::Kind::Integer;
          value.integer = tok_.text == "true";
          value.bool_literal = true;
        } else {
          value.kind = ConstValue::Kind::Identifier;
          value.text = std::string(tok_.text);
        }
        advance();
        return value;
      case TokenKind::Punct:
        if (tok_.is('[')) {
          value.kind = ConstValue::Kind::List;
          advance();
          while (!tok_.is(']')) {
            value.list.push_back(parse_const_value());
            skip_separator();
          }
          advance();
          return value;
        }
        if (tok_.is('{')) {
          value.kind = ConstValue::Kind::Map;
          advance();
          while (!tok_.is('}')) {
            ConstValue key = parse_const_value();
            expect(':', "between a map key and its value");
            ConstValue item = parse_const_value();
            value.map.push_back({std::move(key), std::move(item)});
            skip_separator();
          }
          advance();
          return value;
        }
        break;
      default:
        break;
    }
    unexpected("a constant value");
  }

  void parse_const(std::optional<std::string> doc) {
    auto def = std::make_unique<ConstDef>();
    def->location = here();
    def->program = &program_;
    advance();
    def->type = parse_type();
    def->name = expect_name("a constant name");
    expect('=', "after the constant name");
    def->value = parse_const_value();
    if (tok_.is('(')) fail("annotations on a const are not Apache Thrift syntax");
    skip_separator();
    set_doc(def->doc, std::move(doc));
    program_.consts.push_back(std::move(def));
  }

  void parse_typedef(std::optional<std::string> doc) {
    auto def = std::make_unique<TypedefDef>();
    def->location = here();
    def->program = &program_;
    advance();
    def->type = parse_type();
    def->location = here();
    def->name = expect_name("a typedef name");
    def->annotations = maybe_annotations();
    skip_separator();
    set_doc(def->doc, std::move(doc));
    program_.typedefs.push_back(std::move(def));
  }

  void parse_enum(std::optional<std::string> doc) {
    auto def = std::make_unique<EnumDef>();
    def->program = &program_;
    advance();
    def->location = here();
    def->name = expect_name("an enum name");
    expect('{', "to open the enum");
    int64_t next = 0;
    while (!tok_.is('}')) {
      std::optional<std::string> value_doc = capture_doc();
      EnumValue value;
      value.location = here();
      value.name = expect_name("an enum value name");
      if (tok_.is('=')) {
        advance();
        if (tok_.kind != TokenKind::Integer) unexpected("an integer enum value");
        if (tok_.integer < INT32_MIN || tok_.integer > INT32_MAX)
          fail("enum value " + std::string(tok_.text) + " does not fit in i32");
        next = tok_.integer;
        value.explicit_value = true;
        advance();
      } else if (next > INT32_MAX) {
        fail("enum value overflow at " + value.name);
      }
      value.value = static_cast<int32_t>(next);
      next = int64_t{value.value} + 1;
      value.annotations = maybe_annotations();
      skip_separator();
      set_doc(value.doc, std::move(value_doc));
      def->values.push_back(std::move(value));
    }
    advance();
    def->annotations = maybe_annotations();
    set_doc(def->doc, std::move(doc));
    program_.enums.push_back(std::move(def));
  }

  // Field lists of structs, argument lists and throws clauses.
  void parse_fields(std::vector<Field>& fields, char close, bool argument_list) {
    int32_t next_auto_id = -1;
    while (!tok_.is(close)) {
      std::optional<std::string> doc = capture_doc();
      Field field;
      field.location = here();
      if (tok_.kind == TokenKind::Integer) {
        int64_t id = tok_.integer;
        SourceLocation id_location = here();
        advance();
        expect(':', "after the field id");
        if (id <= 0) {
          schema_.warn("nonpositive field id (" + std::to_string(id) + ") is not allowed; assigned " +
                           std::to_string(next_auto_id),
                       id_location);
          field.id = next_auto_id--;
          field.id_assigned = true;
        } else if (id > INT16_MAX) {
          throw Error(ErrorKind::Idl, "field id " + std::to_string(id) + " does not fit in i16 (at most 32767)",
                      id_location.to_string());
        } else {
          field.id = static_cast<int32_t>(id);
        }
      } else {
        field.id = next_auto_id--;
        field.id_assigned = true;
      }
      if (tok_.is_word("required")) {
        field.requiredness = Requiredness::Required;
        advance();
      } else if (tok_.is_word("optional")) {
        if (argument_list) {
          schema_.warn("the optional keyword is ignored in argument lists", here());
        } else {
          field.requiredness = Requiredness::Optional;
        }
        advance();
      }
      field.type = parse_type();
      if (tok_.is('&')) {
        field.reference = true;
        advance();
      }
      field.location = here();
      field.name = expect_name("a field name");
      if (field.id_assigned)
        schema_.warn("no field id given for \"" + field.name + "\"; assigned " + std::to_string(field.id),
                     field.location);
      if (tok_.is('=')) {
        advance();
        field.default_value = parse_const_value();
      }
      if (tok_.is_word("xsd_optional")) advance();
      if (tok_.is_word("xsd_nillable")) advance();
      if (tok_.is_word("xsd_attrs")) {
        advance();
        expect('{', "after xsd_attrs");
        std::vector<Field> ignored;
        parse_fields(ignored, '}', false);
        advance();
      }
      field.annotations = maybe_annotations();
      skip_separator();
      for (const Field& other : fields) {
        if (other.id == field.id)
          throw Error(ErrorKind::Idl,
                      "field id " + std::to_string(field.id) + " of \"" + field.name + "\" is already used by \"" +
                          other.name + "\" (" + other.location.to_string() + ")",
                      field.location.to_string());
        if (other.name == field.name)
          throw Error(ErrorKind::Idl,
                      "field name \"" + field.name + "\" is already used (" + other.location.to_string() + ")",
                      field.location.to_string());
      }
      set_doc(field.doc, std::move(doc));
      fields.push_back(std::move(field));
    }
  }

  void parse_struct(StructKind kind, std::optional<std::string> doc) {
    auto def = std::make_unique<StructDef>();
    def->kind = kind;
    def->program = &program_;
    advance();
    def->location = here();
    def->name = expect_name("a type name");
    if (kind != StructKind::Exception && tok_.is_word("xsd_all")) advance();
    expect('{', "to open the field list");
    parse_fields(def->fields, '}', false);
    advance();
    if (kind == StructKind::Union) {
      // Every field of a union is optional: exactly one is set.
      for (Field& f : def->fields) {
        if (f.requiredness == Requiredness::Required)
          schema_.warn("required field \"" + f.name + "\" of a union is treated as optional", f.location);
        f.requiredness = Requiredness::Optional;
      }
    }
    def->annotations = maybe_annotations();
    set_doc(def->doc, std::move(doc));
    program_.structs.push_back(std::move(def));
  }

  void parse_service(std::optional<std::string> doc) {
    auto service = std::make_unique<Service>();
    service->program = &program_;
    advance();
    service->location = here();
    service->name = expect_name("a service name");
    if (tok_.is_word("extends")) {
      advance();
      service->extends_name = expect_word("the name of the service extended");
    }
    expect('{', "to open the service");
    while (!tok_.is('}')) {
      std::optional<std::string> fn_doc = capture_doc();
      auto fn = std::make_unique<Function>();
      fn->location = here();
      if (tok_.is_word("oneway") || tok_.is_word("async")) {
        fn->oneway = true;
        advance();
      }
      if (tok_.is_word("void")) {
        fn->return_type = program_.new_type(TypeKind::Void, here());
        advance();
      } else {
        fn->return_type = parse_type();
      }
      fn->location = here();
      fn->name = expect_name("a function name");
      expect('(', "to open the argument list");
      parse_fields(fn->args.fields, ')', true);
      advance();
      if (tok_.is_word("throws")) {
        advance();
        expect('(', "after throws");
        parse_fields(fn->exceptions, ')', false);
        advance();
      }
      fn->annotations = maybe_annotations();
      skip_separator();
      for (const auto& other : service->functions) {
        if (other->name == fn->name)
          throw Error(ErrorKind::Idl,
                      "function \"" + fn->name + "\" is already defined in service \"" + service->name + "\" (" +
                          other->location.to_string() + ")",
                      fn->location.to_string());
      }
      set_doc(fn->doc, std::move(fn_doc));
      service->functions.push_back(std::move(fn));
    }
    advance();
    service->annotations = maybe_annotations();
    set_doc(service->doc, std::move(doc));
    program_.services.push_back(std::move(service));
  }

  Lexer lexer_;
  Program& program_;
  Schema& schema_;
  Token tok_;
  int depth_ = 0;

  std::optional<std::string> pending_doc_;
  int last_doc_line_ = 0;
  std::optional<std::string> candidate_;
  int candidate_line_ = -1;
  DocStatus status_ = DocStatus::Invalid;
};

}  // namespace

void parse_program(std::string_view source, const std::string* file, Program& program, Schema& schema) {
  Parser(source, file, program, schema).parse();
}

}  // namespace thrift_call::idl
