// Apache Thrift's cross-language test matrix, as its Python entry in
// test/tests.json (0.17) lists it: every --protocol x --transport x socket
// that TestServer.py and TestClient.py offer, both ways.
// - thrift-call calls every ThriftTest method of a Python server stacked as
//   TestServer.py stacks that combination (thrifttest_server.py);
// - Python clients stacked as TestClient.py stacks it (thrifttest_client.py)
//   call every method of `thrift-call serve --echo` in auto, which finds each
//   combination by itself.
// Apache's own programs are in no Debian package: these are our own, against
// the Python library Debian ships.
#include <catch2/catch.hpp>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "../support/certificate.h"
#include "../support/process.h"
#include "python_server.h"
#include "thrifttest_cases.h"

using namespace thrift_call::test;

namespace {

const std::string kSource = THRIFT_CALL_SOURCE_DIR;
const std::string kIdl = kSource + "/tests/data/ThriftTest.thrift";

const char* const kProtocols[] = {"binary", "accel",  "compact", "accelc", "header", "json",
                                  "multi",  "multia", "multiac", "multic", "multih", "multij"};
const char* const kTransports[] = {"buffered", "framed", "http", "zlib"};
const char* const kSockets[] = {"ip", "ip-ssl", "domain"};

struct Combo {
  std::string protocol, transport, socket;
  std::string name() const { return protocol + "/" + transport + "/" + socket; }
  bool multiplexed() const { return protocol.rfind("multi", 0) == 0; }
  // The protocol under TMultiplexedProtocol: multi is binary, multia accel, ...
  std::string base() const {
    if (!multiplexed()) return protocol;
    std::string rest = protocol.substr(5);
    return rest.empty()   ? "binary"
           : rest == "a"  ? "accel"
           : rest == "ac" ? "accelc"
           : rest == "c"  ? "compact"
           : rest == "h"  ? "header"
                          : "json";
  }
  bool header() const { return base() == "header"; }
  bool http() const { return transport == "http"; }
};

std::vector<Combo> every_combo() {
  std::vector<Combo> all;
  for (const char* socket : kSockets)
    for (const char* transport : kTransports)
      for (const char* protocol : kProtocols) all.push_back({protocol, transport, socket});
  return all;
}

// examples/python/server.py's flags for TestServer.py's stacking.
std::vector<std::string> server_flags(const Combo& c, const SelfSignedCertificate& tls, const std::string& unix_path) {
  std::vector<std::string> flags = {"--protocol", c.header() ? "binary" : c.base()};
  std::string transport = c.transport;
  if (c.header()) transport = c.http() ? "http-header" : c.transport == "buffered" ? "header" : c.transport + "+header";
  flags.insert(flags.end(), {"--transport", transport});
  if (c.multiplexed()) flags.push_back("--multiplex");
  if (c.socket == "ip-ssl") flags.insert(flags.end(), {"--tls", tls.cert(), tls.key()});
  // TestServer.py serves HTTP on its TCP port whatever the socket: so does this.
  if (c.socket == "domain" && !c.http())
    flags.insert(flags.end(), {"--unix", unix_path});
  else
    flags.insert(flags.end(), {"--port", "0"});
  return flags;
}

// thrift-call's endpoint and flags for the same combination.
std::string client_command(const Combo& c, const std::string& endpoint, const SelfSignedCertificate& tls) {
  std::string base = c.base();
  // THeader carries binary or compact: multih sends compact, header binary.
  std::string protocol = base == "accel" ? "binary" : base == "accelc" ? "compact" : base;
  if (c.header()) protocol = c.multiplexed() ? "compact" : "binary";
  std::string command;
  if (c.http()) {
    command = (c.socket == "ip-ssl" ? "https://" : "http://") + endpoint + "/";
    if (c.header()) command += " -t header";
  } else {
    command = endpoint;
    std::string transport = c.transport;
    // THeader in a zlib stream has no flag of its own: Apache's server takes
    // unframed binary and compact there too, and answers in kind.
    if (c.header() && transport != "zlib") transport = transport == "buffered" ? "header" : transport + "+header";
    command += " -t " + transport;
    if (c.socket == "ip-ssl") command += " --tls";
  }
  if (c.socket == "ip-ssl") command += " --cacert '" + tls.cert() + "'";
  command += " -p " + protocol;
  if (c.multiplexed()) command += " --multiplex";
  return command;
}

// A REPL script calling every method, and the envelope line each prints.
struct Script {
  std::string text, expected;
};

Script every_method(bool multiplexed) {
  Script s;
  auto add = [&s](const std::string& call, const std::string& envelope) {
    s.text += call + "\n";
    s.expected += envelope + "\n";
  };
  for (const ThriftTestCase& c : kThriftTestCases) {
    std::string method = c.method;
    if (method == "testOneway") continue;  // below, without its sleep
    std::string call = "ThriftTest." + method + " " + c.args;
    // Exit 4 is the TApplicationException the server's TException becomes.
    add(call, c.exit_code == 0   ? std::string("{\"return\":") + c.out + "}"
              : c.exit_code == 1 ? std::string("{\"throw\":") + c.out + "}"
                                 : "{\"error\":{\"kind\":\"protocol\",\"message\":\"TApplicationException "
                                   "INTERNAL_ERROR: Internal error (");
  }
  add("ThriftTest.testOneway {\"secondsToSleep\":0}", "{\"return\":null}");
  add("ThriftTest.testString {\"thing\":\"after oneway\"}", "{\"return\":\"after oneway\"}");
  if (multiplexed) add("SecondService.secondtestString {\"thing\":\"x\"}", "{\"return\":\"testString(\\\"x\\\")\"}");
  return s;
}

// The lines of `got` that differ from `want` (a want line ending in "(" is a
// prefix: the rest names the server's address).
std::string differences(const std::string& got, const std::string& want) {
  auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
      out.push_back(text.substr(start, end - start));
    return out;
  };
  std::vector<std::string> g = lines(got), w = lines(want);
  std::string diff;
  for (size_t i = 0; i < std::max(g.size(), w.size()); ++i) {
    std::string gl = i < g.size() ? g[i] : "(nothing)", wl = i < w.size() ? w[i] : "(nothing)";
    bool prefix = !wl.empty() && wl.back() == '(';
    if (prefix ? gl.rfind(wl, 0) != 0 : gl != wl)
      diff += "line " + std::to_string(i + 1) + ": " + gl + ", want " + wl + "\n";
  }
  return diff;
}

}  // namespace

TEST_CASE(
    "Apache's cross-test matrix: thrift-call calls every ThriftTest method of Python servers in every combination",
    "[integration][thrifttest][matrix]") {
  SelfSignedCertificate tls;
  ScratchDir dir;
  std::string gen_dir = (dir.path() / "gen-py").string();
  std::filesystem::create_directories(gen_dir);  // generated once per server start, into the same place
  Script plain = every_method(false), multiplexed = every_method(true);
  std::string plain_file = dir.write("plain.repl", plain.text);
  std::string multiplexed_file = dir.write("multiplexed.repl", multiplexed.text);
  size_t passed = 0;
  std::vector<Combo> combos = every_combo();
  for (const Combo& c : combos) {
    INFO(c.name());
    std::vector<std::string> flags = server_flags(c, tls, (dir.path() / "socket").string());
    flags.insert(flags.end(), {"--gen-dir", gen_dir});
    PythonServer server(kSource + "/tests/integration/thrifttest_server.py", flags);
    std::string command = "repl " + client_command(c, server.endpoint(), tls) + " -o envelope <<< \"$(cat '" +
                          (c.multiplexed() ? multiplexed_file : plain_file) + "')\"";
    INFO(command);
    auto r = run_cli(command, "THRIFT_CALL_IDL=" + kIdl);
    std::string diff = differences(r.out, c.multiplexed() ? multiplexed.expected : plain.expected);
    INFO(r.err);
    CHECK(diff == "");
    CHECK(r.exit_code == 4);  // the worst entry: testException's TException
    if (diff.empty() && r.exit_code == 4) ++passed;
  }
  CHECK(passed == combos.size());
  std::printf("cross matrix, thrift-call as the client: %zu of %zu combinations pass\n", passed, combos.size());
}

TEST_CASE(
    "Apache's cross-test matrix: Python clients call every ThriftTest method of thrift-call serve in every "
    "combination",
    "[integration][thrifttest][matrix][serve]") {
  SelfSignedCertificate tls;
  ScratchDir dir;
  std::string unix_path = (dir.path() / "serve.sock").string();
  std::vector<std::string> serve = {THRIFT_CALL_BINARY,
                                    "serve",
                                    kIdl,
                                    "--no-record",
                                    "--echo",
                                    "--responses",
                                    kSource + "/tests/integration/thrifttest_responses.json"};
  std::vector<std::string> tcp = serve, local = serve;
  tcp.insert(tcp.end(), {"--listen", "127.0.0.1:0", "--cert", tls.cert(), "--key", tls.key()});
  local.insert(local.end(), {"--listen", "unix:" + unix_path});
  ServerProcess over_tcp(tcp), over_unix(local);
  std::string names, expected;
  std::vector<Combo> combos = every_combo();
  for (const Combo& c : combos) {
    names += " " + c.name();
    expected += "ok " + c.name() + "\n";
  }
  std::string got = command_output("/usr/bin/python3 " + kSource + "/tests/integration/thrifttest_client.py " + kIdl +
                                   " " + over_tcp.address() + " --unix " + unix_path + names + " 2>&1");
  CHECK(got == expected);
  size_t passed = 0;
  for (size_t at = 0; (at = got.find("ok ", at)) != std::string::npos; at += 3)
    passed += at == 0 || got[at - 1] == '\n';
  std::printf("cross matrix, thrift-call serve as the server: %zu of %zu combinations pass\n", passed, combos.size());
}
