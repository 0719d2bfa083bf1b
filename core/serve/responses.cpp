#include "core/serve/responses.h"

#include "core/codec/json_preview.h"
#include "core/user_input/json_input.h"
#include "idl/closest_names.h"
#include "base/error.h"

namespace thrift_call::serve {

namespace {

int32_t application_exception_type(const Json& type, const std::string& where) {
  if (type.is_number_integer()) return type.get<int32_t>();
  if (type.is_string()) {
    for (int32_t t = 0; t <= 10; ++t)
      if (type.get<std::string>() == codec::application_exception_type_name(t)) return t;
  }
  throw Error(ErrorKind::Input, "\"type\" must be a number or a TApplicationException type name such as "
                                "\"INTERNAL_ERROR\", not " + codec::json_preview(type), where);
}

const idl::Field* find_exception(const idl::Function& fn, const std::string& name) {
  for (const auto& field : fn.exceptions) {
    const idl::StructDef* def = field.type->true_type()->struct_def;
    if (def && (def->name == name || def->qualified_name() == name)) return &field;
  }
  return nullptr;
}

std::string declared_exceptions(const idl::Function& fn) {
  std::string out;
  for (const auto& field : fn.exceptions) {
    const idl::StructDef* def = field.type->true_type()->struct_def;
    if (def) out += (out.empty() ? "" : ", ") + def->name;
  }
  return out.empty() ? "none" : out;
}

Answer parse_answer(const Json& rule, const idl::Function& fn, const std::string& where) {
  if (!rule.is_object()) throw Error(ErrorKind::Input, "a rule is an object, not " + codec::json_preview(rule), where);
  Answer answer;
  int kinds = 0;
  for (const auto& [key, value] : rule.items()) {
    if (key == "when") continue;
    if (key == "delay_ms") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 3'600'000)
        throw Error(ErrorKind::Input, "\"delay_ms\" must be a whole number of milliseconds up to one hour", where);
      answer.delay = std::chrono::milliseconds(value.get<int64_t>());
    } else if (key == "return") {
      ++kinds;
      answer.kind = Answer::Kind::Return;
      if (fn.return_type->kind == idl::TypeKind::Void) {
        if (!value.is_null()) throw Error(ErrorKind::Input, fn.name + " returns void: \"return\" must be null", where);
        answer.result = Json::object();
      } else {
        answer.result = Json::object({{"success", value}});
      }
    } else if (key == "throw") {
      ++kinds;
      answer.kind = Answer::Kind::Throw;
      if (!value.is_object() || value.size() != 1)
        throw Error(ErrorKind::Input, "\"throw\" holds one exception: {\"TypeName\": {...}}", where);
      const idl::Field* field = find_exception(fn, value.begin().key());
      if (!field)
        throw Error(ErrorKind::Input, fn.name + " does not declare the exception \"" + value.begin().key() +
                                          "\" (it declares: " + declared_exceptions(fn) + ")",
                    where);
      answer.exception_type = field->type->true_type()->struct_def->name;
      answer.result = Json::object({{field->name, value.begin().value()}});
    } else if (key == "error") {
      ++kinds;
      answer.kind = Answer::Kind::Error;
      if (!value.is_object()) throw Error(ErrorKind::Input, "\"error\" is {\"type\": N, \"message\": \"...\"}", where);
      answer.error.type = value.contains("type") ? application_exception_type(value["type"], where) : 0;
      if (value.contains("message")) {
        if (!value["message"].is_string()) throw Error(ErrorKind::Input, "\"message\" must be a string", where);
        answer.error.message = value["message"].get<std::string>();
      }
    } else {
      throw Error(ErrorKind::Input,
                  "unknown key \"" + key + "\" (a rule has when, return, throw, error and delay_ms)", where);
    }
  }
  if (kinds > 1) throw Error(ErrorKind::Input, "a rule has one of return, throw and error", where);
  if (answer.kind == Answer::Kind::Return || answer.kind == Answer::Kind::Throw) {
    // Encoded once now, so a value that does not fit fails at start.
    try {
      codec::encode_reply(codec::ProtocolKind::Binary, fn, fn.name, 0, answer.result);
    } catch (const Error& e) {
      throw Error(ErrorKind::Input, e.diagnostic(), where);
    }
  }
  return answer;
}

}  // namespace

Responses Responses::load(const std::string& path, const idl::Schema& schema) {
  std::string text = read_input_bytes(path);
  return parse(parse_json_argument(text, path), schema, path);
}

Responses Responses::parse(const Json& document, const idl::Schema& schema, const std::string& origin) {
  if (!document.is_object())
    throw Error(ErrorKind::Input, "the responses are an object keyed by \"Service.method\"", origin);
  Responses responses;
  for (const auto& [key, value] : document.items()) {
    std::string where = origin + ": \"" + key + "\"";
    const idl::Function* fn = nullptr;
    try {
      fn = schema.find_function(key);
    } catch (const Error& e) {
      throw Error(ErrorKind::Input, e.message(), where);
    }
    if (!fn) {
      std::string hint = idl::did_you_mean(schema.method_names(), key);
      throw Error(ErrorKind::Input,
                  "no function \"" + key + "\" in the IDL" + (hint.empty() ? " (keys are \"Service.method\")" : hint),
                  where);
    }
    std::vector<Rule>& rules = responses.rules_[fn];
    rules.clear();
    const Json& list = value.is_array() ? value : Json::array({value});
    for (size_t i = 0; i < list.size(); ++i) {
      std::string rule_where = value.is_array() ? where + "[" + std::to_string(i) + "]" : where;
      Rule rule;
      rule.answer = parse_answer(list[i], *fn, rule_where);
      if (list[i].contains("when")) {
        if (!list[i]["when"].is_object())
          throw Error(ErrorKind::Input, "\"when\" is an object of arguments", rule_where);
        for (const auto& [arg, v] : list[i]["when"].items()) {
          (void)v;
          if (!fn->args.field_by_name(arg))
            throw Error(ErrorKind::Input, "\"when\" names \"" + arg + "\", which is not an argument of " + fn->name,
                        rule_where);
        }
        rule.when = list[i]["when"];
      }
      rules.push_back(std::move(rule));
    }
  }
  return responses;
}

const std::vector<Rule>* Responses::rules(const idl::Function& fn) const {
  auto found = rules_.find(&fn);
  return found == rules_.end() ? nullptr : &found->second;
}

bool json_matches(const Json& subset, const Json& value) {
  if (subset.is_object()) {
    if (!value.is_object()) return false;
    for (const auto& [key, want] : subset.items()) {
      auto got = value.find(key);
      if (got == value.end() || !json_matches(want, *got)) return false;
    }
    return true;
  }
  return subset == value;
}

}  // namespace thrift_call::serve
