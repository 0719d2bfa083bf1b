// What expands a type graph into values (template, serve's zero values) is
// bounded by a count of values and by depth: a graph that branches doubles
// at every level (2^40 values at 40 levels), and a chain of structs recursed
// once a level.
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>

#include "../idl/idl_test_util.h"
#include "core/idl_views/json_template.h"
#include "core/idl_views/value_maker.h"

using namespace thrift_call;
using nlohmann::ordered_json;

namespace {

// struct S0 {1: S1 a, 2: S1 b} ... struct S<levels> {1: i32 x}; `requiredness`
// for the fields a and b ("" for default, "required ", "optional ").
std::string branching_idl(int levels, const std::string& requiredness = "") {
  std::string idl;
  for (int i = 0; i < levels; ++i)
    idl += "struct S" + std::to_string(i) + " { 1: " + requiredness + "S" + std::to_string(i + 1) + " a, 2: " +
           requiredness + "S" + std::to_string(i + 1) + " b }\n";
  idl += "struct S" + std::to_string(levels) + " { 1: i32 x }\n";
  return idl;
}

// struct C0 {1: C1 next} ... : a chain, one struct a level.
std::string chain_idl(int levels) {
  std::string idl;
  for (int i = 0; i < levels; ++i)
    idl += "struct C" + std::to_string(i) + " { 1: C" + std::to_string(i + 1) + " next }\n";
  idl += "struct C" + std::to_string(levels) + " { 1: i32 x }\n";
  return idl;
}

size_t count_values(const ordered_json& j) {
  size_t n = 1;
  if (j.is_structured())
    for (const auto& item : j) n += count_values(item);
  return n;
}

int depth_of(const ordered_json& j) {
  int deepest = 0;
  if (j.is_structured())
    for (const auto& item : j) deepest = std::max(deepest, depth_of(item));
  return (j.is_structured() ? 1 : 0) + deepest;
}

// How many structs were cut, and the text of the first cut's marker.
void cuts(const ordered_json& j, size_t& count, std::string& first) {
  if (!j.is_object()) return;
  if (auto it = j.find(kCutKey); it != j.end()) {
    if (first.empty()) first = it->get<std::string>();
    ++count;
  }
  for (const auto& item : j) cuts(item, count, first);
}

}  // namespace

TEST_CASE("template of a type graph that branches 40 levels deep is cut evenly at a bound, in no time",
          "[core][template][limits]") {
  idl::Schema schema = test::load_text(branching_idl(40));
  auto started = std::chrono::steady_clock::now();
  ordered_json t = make_template(*schema.find_type("S0"));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
  CHECK(count_values(t) <= 2 * kMaxMadeValues);  // the values, and a marker in each struct cut
  size_t cut = 0;
  std::string marker;
  cuts(t, cut, marker);
  CHECK(cut > 0);
  // Breadth first, a level at a time: every branch is expanded to the same
  // depth (S0 to S11: 2^13 - 2 values; with S12, 2^14 - 2), not one branch
  // to the bottom.
  CHECK(depth_of(t) == 13);
  CHECK(depth_of(t["a"]) == depth_of(t["b"]));
  CHECK(marker == "S12 not expanded: the template stops at 10000 values");
}

TEST_CASE("template of a small branching graph is whole, and unchanged", "[core][template][limits]") {
  idl::Schema schema = test::load_text(branching_idl(3));
  ordered_json t = make_template(*schema.find_type("S0"));
  std::string leaf = R"({"x":0})";
  std::string s2 = "{\"a\":" + leaf + ",\"b\":" + leaf + "}";
  std::string s1 = "{\"a\":" + s2 + ",\"b\":" + s2 + "}";
  CHECK(t.dump() == "{\"a\":" + s1 + ",\"b\":" + s1 + "}");
}

TEST_CASE("template of a chain of 100,000 structs stops at the encoder's depth, without recursing it",
          "[core][template][limits]") {
  idl::Schema schema = test::load_text(chain_idl(100000));
  ordered_json t = make_template(*schema.find_type("C0"));
  CHECK(depth_of(t) == kMaxMadeDepth + 1);  // 64 structs, then the one cut with its marker
  size_t cut = 0;
  std::string marker;
  cuts(t, cut, marker);
  CHECK(cut == 1);
  CHECK(marker == "C64 not expanded: nested deeper than 64 levels");
}

TEST_CASE("template of containers nested through typedefs that branch is bounded", "[core][template][limits]") {
  // map<T, T> at each level: 2^15 example values at 14 levels (the most the
  // IDL allows: resolution_limits_test.cpp), more than the template takes.
  std::string idl = "typedef i32 T0\n";
  for (int i = 1; i <= 14; ++i)
    idl += "typedef map<T" + std::to_string(i - 1) + ", T" + std::to_string(i - 1) + "> T" + std::to_string(i) + "\n";
  idl += "struct Holder { 1: T14 m }\n";
  idl::Schema schema = test::load_text(idl);
  auto started = std::chrono::steady_clock::now();
  ordered_json t = make_template(*schema.find_type("Holder"));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
  CHECK(count_values(t) <= 2 * kMaxMadeValues);
}

TEST_CASE("serve's zero value of a type graph that branches is bounded, and stays a valid reply",
          "[core][serve][limits]") {
  for (int levels : {22, 40}) {
    idl::Schema schema = test::load_text(branching_idl(levels));
    auto started = std::chrono::steady_clock::now();
    ordered_json zero = make_value(*schema.find_type("S0"), ValueShape::Zero);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
    CHECK(count_values(zero) <= kMaxMadeValues + 10);
    // Fields that are not required are left unset past the bound, as
    // optional ones are: no struct is half filled.
    std::function<void(const ordered_json&)> whole = [&](const ordered_json& v) {
      if (!v.is_object() || v.contains("x")) return;
      CHECK((v.empty() || (v.contains("a") && v.contains("b"))));
      for (const auto& item : v) whole(item);
    };
    whole(zero);
    CHECK(zero["a"]["a"]["a"].is_object());
  }
  // A small one is whole.
  idl::Schema small = test::load_text(branching_idl(2));
  CHECK(make_value(*small.find_type("S0"), ValueShape::Zero).dump() ==
        R"({"a":{"a":{"x":0},"b":{"x":0}},"b":{"a":{"x":0},"b":{"x":0}}})");
}

TEST_CASE("serve's zero value: required fields past the bound are {} and a chain stops at the encoder's depth",
          "[core][serve][limits]") {
  idl::Schema schema = test::load_text(branching_idl(40, "required "));
  ordered_json zero = make_value(*schema.find_type("S0"), ValueShape::Zero);
  CHECK(count_values(zero) <= 3 * kMaxMadeValues);
  idl::Schema chain = test::load_text(chain_idl(100000));
  ordered_json deep = make_value(*chain.find_type("C0"), ValueShape::Zero);
  CHECK(depth_of(deep) == kMaxMadeDepth);
}
