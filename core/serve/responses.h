// What `serve` answers, from a --responses file:
//
//   {
//     "PersonService.getPerson": [
//       {"when": {"name": "nobody"}, "throw": {"PersonNotFound": {"name": "nobody"}}},
//       {"when": {"name": "slow"}, "return": {"name": "slow", "age": 1}, "delay_ms": 200},
//       {"return": {"name": "Ann", "age": 30}}
//     ],
//     "Calculator.add": {"error": {"type": "INTERNAL_ERROR", "message": "down for maintenance"}}
//   }
//
// A key names a served function ("Service.method"); its value is one rule or
// a list of rules, tried in order (the first whose "when" matches wins). A
// rule answers with one of "return" (a value in the JSON mapping), "throw"
// (one declared exception, its type name bare or qualified) or "error" (a
// TApplicationException: "type" a number or a name such as
// "INTERNAL_ERROR", and "message"); with none of them it answers what the
// method answers without rules. "delay_ms" delays any answer. "when" holds a
// subset of the arguments, compared as decoded JSON: objects key by key,
// anything else equal.
//
// The file is checked against the IDL when it is read: each answer is
// encoded once, so a value that does not fit its type is an error at start,
// not on the first call.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/codec/message.h"
#include "idl/schema.h"

namespace thrift_call::serve {

using codec::Json;

struct Answer {
  enum class Kind { Default, Return, Throw, Error };
  Kind kind = Kind::Default;
  // Return and Throw: the result struct, {"success": value} or {"<field>": {...}}.
  Json result;
  std::string exception_type;          // Throw: the exception's type name
  codec::ApplicationException error;   // Error
  std::chrono::milliseconds delay{0};
};

struct Rule {
  std::optional<Json> when;  // an argument subset; none: every call
  Answer answer;
};

class Responses {
 public:
  // Reads `path` and checks it against `schema`. Throws Error (Input) naming
  // the file, the key and what is wrong.
  static Responses load(const std::string& path, const idl::Schema& schema);
  static Responses parse(const Json& document, const idl::Schema& schema, const std::string& origin);

  // The rules for `fn`; nullptr when it has none.
  const std::vector<Rule>* rules(const idl::Function& fn) const;
  bool empty() const { return rules_.empty(); }

 private:
  std::unordered_map<const idl::Function*, std::vector<Rule>> rules_;
};

// Whether `subset` is in `value`: objects key by key (recursively), arrays
// and scalars equal (numbers by value).
bool json_matches(const Json& subset, const Json& value);

}  // namespace thrift_call::serve
