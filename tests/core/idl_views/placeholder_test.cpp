// template and serve's zero values give a type nothing sets the same value
// (core/idl_views/placeholder.h); only containers and optional fields differ.
#include "core/idl_views/placeholder.h"

#include <catch2/catch.hpp>

#include "../../idl/idl_test_util.h"
#include "core/idl_views/json_template.h"
#include "core/idl_views/value_maker.h"

using namespace thrift_call;

TEST_CASE("a template and a zero value agree on every scalar, enums included", "[core][idl_views]") {
  idl::Schema schema = test::load_text(
      "enum Late { ONE = 1, ZERO = 0 }\n"
      "enum Far { FIVE = 5, SIX = 6 }\n"
      "typedef Late Alias\n"
      "struct S { 1: bool b, 2: byte y, 3: i16 s, 4: i32 i, 5: i64 l, 6: double d, 7: string t, 8: binary n,"
      " 9: uuid u, 10: Late late, 11: Far far, 12: Alias alias, 13: list<Late> lates }\n");
  const char* scalars =
      R"("b":false,"y":0,"s":0,"i":0,"l":0,"d":0.0,"t":"","n":"","u":"00000000-0000-0000-0000-000000000000",)"
      R"("late":"ZERO","far":"FIVE","alias":"ZERO",)";
  // An enum's value numbered 0 where it has one, though declared later;
  // else its first value. A template shows one example element, a zero
  // value an empty list.
  CHECK(make_template(*schema.find_type("S")).dump() == std::string("{") + scalars + R"("lates":["ZERO"]})");
  CHECK(make_value(*schema.find_type("S"), ValueShape::Zero).dump() == std::string("{") + scalars + R"("lates":[]})");
  CHECK(scalar_placeholder(*schema.find_type("Alias")) == "ZERO");
  CHECK(scalar_placeholder(*schema.find_type("S")).is_null());
}
