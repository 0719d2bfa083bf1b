// "Did you mean ...?" for a name the user mistyped: a service, method,
// field, enum value, type, verb or flag. One helper, so every "unknown ..."
// message suggests the same way.
//
// Typical use:
//   throw Error(..., "unknown field \"nmae\"" + did_you_mean(field_names, "nmae"));
//   // -> unknown field "nmae" (did you mean "name"?)
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace thrift_call::idl {

// The candidates nearest to `word` by edit distance (insertions, deletions,
// substitutions and swaps of neighbours), ignoring case, in their given
// order, duplicates dropped. Only those at the smallest distance found, and
// only when it is small for the word's length (one edit up to 4 characters,
// two up to 8, three beyond), so a wild guess suggests nothing.
std::vector<std::string> closest_names(const std::vector<std::string>& candidates, std::string_view word);

// " (did you mean \"name\"?)", " (did you mean \"a\" or \"b\"?)", or "" when
// nothing is close.
std::string did_you_mean(const std::vector<std::string>& candidates, std::string_view word);

// The same phrase for names already chosen (a bare method name's
// "Service.method" forms); "" when there are none.
std::string did_you_mean(const std::vector<std::string>& names);

// did_you_mean(), or when nothing is close every candidate under the
// heading `what`: " (fields: name, age)"; "" when there are none.
std::string did_you_mean_or_list(const std::vector<std::string>& candidates, std::string_view word,
                                 std::string_view what);

}  // namespace thrift_call::idl
