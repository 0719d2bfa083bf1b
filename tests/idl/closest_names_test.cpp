#include <catch2/catch.hpp>

#include "idl/closest_names.h"

using thrift_call::idl::closest_names;
using thrift_call::idl::did_you_mean;
using thrift_call::idl::did_you_mean_or_list;

TEST_CASE("closest_names suggests names one typo away, ignoring case", "[idl][closest_names]") {
  std::vector<std::string> fields = {"name", "age", "email"};
  CHECK(closest_names(fields, "nmae") == std::vector<std::string>{"name"});  // a swap is one edit
  CHECK(closest_names(fields, "Name") == std::vector<std::string>{"name"});
  CHECK(closest_names(fields, "emial") == std::vector<std::string>{"email"});
  CHECK(closest_names({"getPerson", "savePerson"}, "getperson") == std::vector<std::string>{"getPerson"});
  CHECK(closest_names({"getPerson", "savePerson"}, "getPersn") == std::vector<std::string>{"getPerson"});
}

TEST_CASE("closest_names keeps only the nearest, and nothing for a wild guess", "[idl][closest_names]") {
  CHECK(closest_names({"add", "and", "multiply"}, "adn") == std::vector<std::string>{"add", "and"});
  CHECK(closest_names({"name", "age"}, "zebra").empty());
  CHECK(closest_names({"abc"}, "xyz").empty());
  CHECK(closest_names({}, "x").empty());
  CHECK(closest_names({"name", "name"}, "nam") == std::vector<std::string>{"name"});
}

TEST_CASE("did_you_mean phrases the suggestion, or says nothing", "[idl][closest_names]") {
  CHECK(did_you_mean({"name", "age"}, "nmae") == " (did you mean \"name\"?)");
  CHECK(did_you_mean({"add", "and"}, "adn") == " (did you mean \"add\" or \"and\"?)");
  CHECK(did_you_mean({"ab", "ac", "ad"}, "a") == " (did you mean \"ab\", \"ac\" or \"ad\"?)");
  CHECK(did_you_mean({"name"}, "zebra").empty());
}

TEST_CASE("did_you_mean_or_list lists every candidate when none is close", "[idl][closest_names]") {
  CHECK(did_you_mean_or_list({"name", "age"}, "nmae", "fields") == " (did you mean \"name\"?)");
  CHECK(did_you_mean_or_list({"name", "age"}, "zebra", "fields") == " (fields: name, age)");
  CHECK(did_you_mean_or_list({}, "zebra", "fields").empty());
}
