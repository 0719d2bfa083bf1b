// Colour is for people at a terminal: decode --pretty colours only there,
// and never when NO_COLOR is set.
#include <catch2/catch.hpp>
#include <string>

#include "../support/pty_session.h"

namespace {

const std::string kCapture = std::string(THRIFT_CALL_SOURCE_DIR) + "/examples/person.pcap";

std::string pretty_on_a_terminal(const std::vector<std::string>& env) {
  thrift_call::test::PtySession session({THRIFT_CALL_BINARY, "decode", kCapture, "--pretty"}, env);
  CHECK(session.wait_exit() == 0);
  return session.output();
}

}  // namespace

TEST_CASE("decode --pretty colours a terminal but not with NO_COLOR", "[cli][colour][pty]") {
  std::string coloured = pretty_on_a_terminal({"NO_COLOR="});  // empty: as if unset
  CHECK(coloured.find("getPerson") != std::string::npos);
  CHECK(coloured.find("\x1b[") != std::string::npos);

  std::string plain = pretty_on_a_terminal({"NO_COLOR=1"});
  CHECK(plain.find("getPerson") != std::string::npos);
  CHECK(plain.find("\x1b[") == std::string::npos);
}
