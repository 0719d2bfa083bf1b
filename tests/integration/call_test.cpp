// thrift-call against Apache Thrift's Python servers (examples/python/server.py),
// over real loopback sockets, in every protocol and framing.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include <chrono>
#include <sstream>
#include <thread>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "../support/certificate.h"
#include "python_server.h"

using thrift_call::test::count_lines;
using thrift_call::test::PythonServer;
using thrift_call::test::run_cli;

namespace {
const std::string kIdl = "THRIFT_CALL_IDL=examples";
}

TEST_CASE("calls reach a Python server in every protocol and framing, multiplexed or not", "[integration][call]") {
  for (const char* protocol : {"binary", "compact", "json"}) {
    for (const char* framing : {"buffered", "framed"}) {
      for (bool multiplex : {false, true}) {
        INFO(protocol << " " << framing << (multiplex ? " multiplexed" : ""));
        std::vector<std::string> args = {"--protocol", protocol, "--transport", framing};
        if (multiplex) args.push_back("--multiplex");
        PythonServer server(args);
        std::string flags = std::string(" -p ") + protocol + " -t " + framing + (multiplex ? " --multiplex" : "");

        auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}'" + flags, kIdl);
        CHECK(r.exit_code == 0);
        CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
        CHECK(r.err.empty());

        r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"nobody\"}'" + flags, kIdl);
        CHECK(r.exit_code == 1);
        CHECK(r.out == "{\"PersonNotFound\":{\"name\":\"nobody\"}}\n");

        r = run_cli(server.endpoint() + " PersonService.savePerson '{\"person\":{\"name\":\"Bo\",\"age\":7}}'" + flags,
                    kIdl);
        CHECK(r.exit_code == 0);
        CHECK(r.out == "null\n");

        r = run_cli(server.endpoint() + " Calculator.divide '{\"dividend\":7,\"divisor\":2}'" + flags, kIdl);
        CHECK(r.out == "3.5\n");
      }
    }
  }
}

TEST_CASE("a TApplicationException is one line on stderr and exit code 4", "[integration][call]") {
  PythonServer server({});
  auto r = run_cli(server.endpoint() + " Calculator.add '{\"a\":666,\"b\":1}'", kIdl);
  CHECK(r.exit_code == 4);
  CHECK(r.out.empty());
  CHECK(r.err == "thrift-call: TApplicationException INTERNAL_ERROR: Internal error (" + server.endpoint() + ")\n");
}

TEST_CASE("without an IDL the call goes out and comes back in raw notation", "[integration][call]") {
  PythonServer server({});
  auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"1:string\":\"Ann\"}'");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"1:string\":\"Ann\",\"2:i32\":30}\n");
  // A batch too, each reply printed while the next call is out.
  r = run_cli(server.endpoint() + " PersonService.getPerson --batch <<< $'{\"1:string\":\"Ann\"}\\n{\"1:string\":\"Bo\"}'");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"1:string\":\"Ann\",\"2:i32\":30}\n{\"1:string\":\"Bo\",\"2:i32\":20}\n");
}

TEST_CASE("the call's options may come before the endpoint, as with curl", "[integration][call]") {
  PythonServer server({"--protocol", "compact"});
  auto r = run_cli("-v -p compact -t buffered " + server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}'", kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
  CHECK(r.err.find("connected") != std::string::npos);

  // The global -q, and an option whose value is not the endpoint.
  r = run_cli("-q --timeout 5 -p compact " + server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}'", kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");

  // An option's value that names a verb ("schema", an include folder here) is not the verb.
  r = run_cli("-I schema -p compact " + server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}'", kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");

  // A verb named first is still that verb's command line.
  r = run_cli("-q list --idl examples/person.thrift");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("PersonService.getPerson") != std::string::npos);
}

TEST_CASE("a bare --multiplex before the endpoint does not take the endpoint for its name", "[integration][call]") {
  PythonServer server({"--multiplex"});
  auto r = run_cli("--multiplex " + server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}'", kIdl);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
}

TEST_CASE("a Unix socket endpoint works like TCP", "[integration][call]") {
  thrift_call::test::ScratchDir dir;
  std::string path = (dir.path() / "s.sock").string();
  PythonServer server({"--unix", path});
  auto r = run_cli("unix:" + path + " WeatherService.getTemperature '{\"location\":{\"city\":\"Oslo\"}}'", kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "\"21.5C in Oslo\"\n");
}

TEST_CASE("batch mode (--batch) makes one call per stdin line over one connection, one output line each, errors included",
          "[integration][call][batch]") {
  PythonServer server({});
  auto r = run_cli(server.endpoint() + " Calculator.add --batch <<< $'{\"a\":1,\"b\":2}\\n{\"a\":\"x\"}\\n{\"a\":3,\"b\":4}'",
                   kIdl);
  CHECK(r.out == "3\n{\"error\":{\"kind\":\"input\",\"message\":\"$.a: expected i32, got \\\"x\\\"\"}}\n7\n");
  CHECK(r.exit_code == 2);
  // "-" as ARGS with several lines is a batch too.
  r = run_cli(server.endpoint() + " Calculator.multiply - <<< $'{\"a\":2,\"b\":3}\\n{\"a\":4,\"b\":5}'", kIdl);
  CHECK(r.out == "6\n20\n");
  CHECK(r.exit_code == 0);
  // Invalid JSON is placed by its line of the input, once.
  r = run_cli(server.endpoint() + " Calculator.add --batch <<< $'{\"a\":1,\"b\":2}\\n{\"a\": }'", kIdl);
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("thrift-call: stdin line 2, column 7: invalid JSON: ", 0) == 0);
  CHECK(r.out.find("\"message\":\"stdin line 2, column 7: invalid JSON: ") != std::string::npos);
  // So is a number past a double's range (nlohmann's out_of_range, not a
  // parse error), and the lines around it are still called.
  r = run_cli(server.endpoint() + " Calculator.add --batch <<< $'{\"a\":1,\"b\":2}\\n{\"a\": 1e400}\\n{\"a\":3,\"b\":4}'",
              kIdl);
  CHECK(r.exit_code == 2);
  CHECK(r.out ==
        "3\n{\"error\":{\"kind\":\"input\",\"message\":\"stdin line 2, column 7: invalid JSON: number overflow "
        "parsing '1e400'\"}}\n7\n");
}

TEST_CASE("a batch keeps one call at a time on the wire while it prepares the next line ahead",
          "[integration][call][batch]") {
  // The next line is parsed and encoded while a call is out, but sent only
  // once that call's reply is in: -v shows the bytes in the order they moved.
  PythonServer server({});
  auto r = run_cli(server.endpoint() + " Calculator.add --batch -v -p binary -t buffered <<< "
                   "$'{\"a\":1,\"b\":2}\\n{\"a\":3,\"b\":4}\\n{\"a\":5,\"b\":6}'",
                   kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "3\n7\n11\n");
  std::string moves;
  std::istringstream err(r.err);
  for (std::string line; std::getline(err, line);) {
    if (line.rfind("* sent ", 0) == 0) moves += 's';
    if (line.rfind("* received ", 0) == 0) moves += 'r';
  }
  CHECK(moves == "srsrsr");
}

TEST_CASE("a batch line past 256 MiB is an error line of its own, and the lines after it are still called",
          "[integration][call][batch][bad-input]") {
  PythonServer server({});
  // Kept in memory whole, such a line would let input take all of it.
  auto r = run_cli("--version >/dev/null; { { echo '{\"a\":1,\"b\":2}'; head -c 270000000 /dev/zero; "
                   "printf '\\n{\"a\":3,\"b\":4}\\n'; } | env THRIFT_CALL_IDL=examples '" THRIFT_CALL_BINARY "' " +
                   server.endpoint() + " Calculator.add --batch -p binary -t buffered; }");
  CHECK(r.exit_code == 2);
  CHECK(r.out == "3\n{\"error\":{\"kind\":\"input\",\"message\":\"stdin line 2: longer than 256 MiB\"}}\n7\n");
  CHECK(r.err == "thrift-call: stdin line 2: longer than 256 MiB\n");
}

TEST_CASE("batch mode answers each line before it waits for the next, pipelined or not", "[integration][call][batch]") {
  // A script that writes one line and reads its answer before the next (a
  // coprocess) must not wait on output held back in a buffer.
  PythonServer server({});
  for (const char* pipeline : {"1", "8"}) {
    INFO("--pipeline " << pipeline);
    auto r = run_cli("--version >/dev/null; coproc TC { exec env THRIFT_CALL_IDL=examples '" THRIFT_CALL_BINARY "' " +
                     server.endpoint() + " Calculator.add --batch --pipeline " + pipeline +
                     "; }; echo '{\"a\":1,\"b\":2}' >&\"${TC[1]}\"; read -t 10 -r first <&\"${TC[0]}\" || exit 9; "
                     "echo '{\"a\":3,\"b\":4}' >&\"${TC[1]}\"; read -t 10 -r second <&\"${TC[0]}\" || exit 9; "
                     "echo \"$first $second\"");
    CHECK(r.exit_code == 0);
    CHECK(r.out == "3 7\n");
  }
}

TEST_CASE("a mismatched framing or a dead server is a transport error with a hint, exit code 3",
          "[integration][call][bad-input]") {
  PythonServer server({"--transport", "framed"});
  auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' -p binary -t buffered", kIdl);
  CHECK(r.exit_code == 3);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("the server answers binary/framed: use --transport framed") != std::string::npos);

  r = run_cli("127.0.0.1:1 PersonService.getPerson '{\"name\":\"Ann\"}'", kIdl);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("cannot connect") != std::string::npos);
  CHECK(count_lines(r.err) == 1);
}

TEST_CASE("bad input to a call is an error before anything is sent", "[integration][call][bad-input]") {
  PythonServer server({});
  auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"nam\":\"Ann\"}'", kIdl);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("$.nam: unknown field \"nam\" of getPerson_args (did you mean \"name\"?)") != std::string::npos);
  r = run_cli(server.endpoint() + " PersonService.getPerson '{\"zebra\":\"Ann\"}'", kIdl);
  CHECK(r.err.find("$.zebra: unknown field \"zebra\" of getPerson_args (fields: name)") != std::string::npos);
  r = run_cli(server.endpoint() + " PersonService.nope '{}'", kIdl);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("has no method \"nope\" (methods: getPerson, savePerson)") != std::string::npos);
  r = run_cli(server.endpoint() + " PersonService.getperson '{}'", kIdl);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("has no method \"getperson\" (did you mean \"getPerson\"?)") != std::string::npos);
  r = run_cli(server.endpoint() + " PersonServce.getPerson '{}'", kIdl);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no service \"PersonServce\" in the IDL (did you mean \"PersonService\"?)") != std::string::npos);
  r = run_cli(server.endpoint() + " getPerson '{}'", kIdl);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("the method is Service.method, got \"getPerson\" (did you mean \"PersonService.getPerson\"?)") !=
        std::string::npos);
}

TEST_CASE("a timeout that is not a number of seconds up to a day is a usage error", "[integration][call][bad-input]") {
  for (const char* flag : {"--timeout inf", "--timeout nan", "--timeout 0", "--timeout -1", "--connect-timeout 1e300"}) {
    INFO(flag);
    auto r = run_cli(std::string("127.0.0.1:1 PersonService.getPerson '{\"name\":\"Ann\"}' ") + flag, kIdl);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("a number of seconds above 0 and at most 86400 is needed") != std::string::npos);
    CHECK(count_lines(r.err) == 1);
  }
}

TEST_CASE("auto finds the protocol and framing of each Python server, running the handler once", "[integration][auto]") {
  for (const char* protocol : {"binary", "compact", "json"}) {
    for (const char* framing : {"buffered", "framed"}) {
      INFO(protocol << " " << framing);
      thrift_call::test::ScratchDir cache;
      std::string env = kIdl + " XDG_CACHE_HOME=" + cache.path().string();
      PythonServer server({"--protocol", protocol, "--transport", framing});
      // createUser hands out ids 2, 3, ...: a handler run by a mismatched
      // probe would show as a skipped id.
      auto r = run_cli(server.endpoint() + " UserService.createUser '{\"name\":\"Cy\",\"email\":\"c@x\"}'", env);
      CHECK(r.exit_code == 0);
      CHECK(r.out == "{\"id\":2,\"name\":\"Cy\",\"email\":\"c@x\"}\n");
      // The answer is cached: the next call goes straight out, verbose shows no probing.
      r = run_cli(server.endpoint() + " UserService.createUser '{\"name\":\"Di\",\"email\":\"d@x\"}' -v", env);
      CHECK(r.out == "{\"id\":3,\"name\":\"Di\",\"email\":\"d@x\"}\n");
      CHECK(r.err.find("auto:") == std::string::npos);
      CHECK(thrift_call::test::slurp(cache.path() / "thrift-call" / "endpoints.json").find(protocol) !=
            std::string::npos);
    }
  }
}

TEST_CASE("a cache of endpoints holding a value nested 100,000 deep is cleaned, not printed back", "[integration][auto]") {
  thrift_call::test::ScratchDir cache;
  std::filesystem::create_directories(cache.path() / "thrift-call");
  {
    std::ofstream file(cache.path() / "thrift-call" / "endpoints.json");
    file << "{\"x\":" << std::string(100000, '[') << std::string(100000, ']') << "}";
  }
  PythonServer server({"--protocol", "binary", "--transport", "buffered"});
  auto r = run_cli(server.endpoint() + " WeatherService.ping", kIdl + " XDG_CACHE_HOME=" + cache.path().string());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "true\n");
  std::string written = thrift_call::test::slurp(cache.path() / "thrift-call" / "endpoints.json");
  CHECK(written.find("\"x\"") == std::string::npos);
  CHECK(written.find("binary") != std::string::npos);
}

TEST_CASE("auto keeps what the user fixed and probes the rest", "[integration][auto]") {
  thrift_call::test::ScratchDir cache;
  std::string env = kIdl + " XDG_CACHE_HOME=" + cache.path().string();
  PythonServer server({"--protocol", "compact", "--transport", "framed"});
  auto r = run_cli(server.endpoint() + " WeatherService.ping -p compact -v", env);
  CHECK(r.out == "true\n");
  CHECK(r.err.find("auto: the server speaks compact/framed") != std::string::npos);
  CHECK(r.err.find("binary/") == std::string::npos);
  r = run_cli(server.endpoint() + " WeatherService.ping -p binary", env);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("no protocol and framing got a reply (tried binary/buffered: ") != std::string::npos);
  CHECK(r.err.find("the server answers compact/framed: use --protocol compact") != std::string::npos);
}

TEST_CASE("HTTP endpoints POST to a Python THttpServer in every protocol", "[integration][http]") {
  for (const char* protocol : {"binary", "compact", "json"}) {
    INFO(protocol);
    PythonServer server({"--transport", "http", "--protocol", protocol});
    std::string url = "http://" + server.endpoint() + "/";
    auto r = run_cli(url + " PersonService.getPerson '{\"name\":\"Ann\"}' -H 'X-Trace: 1'", kIdl);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
    r = run_cli(url + " Calculator.divide '{\"dividend\":1,\"divisor\":0}' -p " + protocol, kIdl);
    CHECK(r.exit_code == 1);
    CHECK(r.out == "{\"DivideByZero\":{\"message\":\"cannot divide 1.0 by zero\"}}\n");
  }
  PythonServer server({"--transport", "http"});
  // Python's binary THttpServer fails on JSON and never answers: the timeout ends it.
  auto r = run_cli("http://" + server.endpoint() + "/ PersonService.getPerson '{\"name\":\"Ann\"}' -p json --timeout 1",
                   kIdl);
  CHECK(r.exit_code == 3);
  CHECK(count_lines(r.err) == 1);
}

TEST_CASE("TLS verifies the server's certificate, and says why when it cannot", "[integration][tls]") {
  thrift_call::test::SelfSignedCertificate certificate;
  const std::string& cert = certificate.cert();
  const std::string& key = certificate.key();
  PythonServer server({"--tls", cert, key});
  auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' --tls --cacert '" + cert + "'", kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");

  r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' --tls", kIdl);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("certificate was not accepted: self-signed certificate") != std::string::npos);
  CHECK(count_lines(r.err) == 1);

  r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' --tls --insecure", kIdl);
  CHECK(r.exit_code == 0);

  r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' --tls --cacert '" + cert +
                  "' --servername other.example",
              kIdl);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("hostname mismatch") != std::string::npos);

  r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' -p binary -t buffered", kIdl);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("the server speaks TLS: add --tls") != std::string::npos);
}

TEST_CASE("HTTPS endpoints verify the server's certificate through libcurl, and say why they refuse one",
          "[integration][tls][http]") {
  thrift_call::test::SelfSignedCertificate certificate;
  const std::string& cert = certificate.cert();
  const std::string& key = certificate.key();
  PythonServer server({"--transport", "http", "--tls", cert, key});
  std::string url = "https://" + server.endpoint() + "/";
  // https:// is TLS: --cacert and --insecure need no --tls beside it.
  for (const std::string tls : {"", " --tls"}) {
    INFO("flags:" << tls);
    auto r = run_cli(url + " PersonService.getPerson '{\"name\":\"Ann\"}' -p binary --cacert '" + cert + "'" + tls, kIdl);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
    r = run_cli(url + " PersonService.getPerson '{\"name\":\"Ann\"}' -p binary --insecure" + tls, kIdl);
    CHECK(r.exit_code == 0);
  }
  auto r = run_cli(url + " PersonService.getPerson '{\"name\":\"Ann\"}' -p binary", kIdl);
  CHECK(r.exit_code == 3);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("TLS: the server's certificate was not accepted: self-signed certificate (--cacert FILE to trust "
                   "its CA, --insecure to skip the check)") != std::string::npos);
  // auto mode stops at the certificate too.
  r = run_cli(url + " PersonService.getPerson '{\"name\":\"Ann\"}'", kIdl);
  CHECK(r.exit_code == 3);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("certificate was not accepted: self-signed certificate") != std::string::npos);

  // The certificate names 127.0.0.1 and localhost, not ::1.
  PythonServer v6({"--host", "::1", "--transport", "http", "--tls", cert, key});
  std::string port = v6.endpoint().substr(v6.endpoint().rfind(':') + 1);
  r = run_cli("https://[::1]:" + port + "/ PersonService.getPerson '{\"name\":\"Ann\"}' -p binary --cacert '" + cert + "'",
              kIdl);
  CHECK(r.exit_code == 3);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("certificate was not accepted: hostname mismatch: ") != std::string::npos);
  CHECK(r.err.find("'::1'") != std::string::npos);

  // Without TLS the TLS options are a usage error, naming the fix.
  r = run_cli("http://" + server.endpoint() + "/ PersonService.getPerson --insecure", kIdl);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "thrift-call: --insecure is for TLS: add --tls, or use an https:// endpoint (--insecure)\n");
}

TEST_CASE("IPv6 endpoints ([::1]:port) reach a server listening on ::1", "[integration][call]") {
  for (const char* transport : {"buffered", "http"}) {
    INFO(transport);
    PythonServer server({"--host", "::1", "--transport", transport});
    std::string port = server.endpoint().substr(server.endpoint().rfind(':') + 1);
    std::string endpoint = std::string(transport) == "http" ? "http://[::1]:" + port + "/" : "[::1]:" + port;
    auto r = run_cli(endpoint + " PersonService.getPerson '{\"name\":\"Ann\"}' -p binary -v", kIdl);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
    if (std::string(transport) == "buffered") CHECK(r.err.find("[::1]:" + port) != std::string::npos);
  }
}

TEST_CASE("THeader frames carry binary or compact, headers and zlib to a Python THeader server", "[integration][theader]") {
  PythonServer server({"--transport", "header"});
  for (const char* protocol : {"binary", "compact"}) {
    for (const char* extra : {"", " --zlib -H 'X-Request-Id: 42'"}) {
      INFO(protocol << extra);
      auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' -t header -p " + protocol + extra,
                       kIdl);
      CHECK(r.exit_code == 0);
      CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
    }
  }
  // auto finds it too, after the plain framings are refused
  thrift_call::test::ScratchDir cache;
  auto r = run_cli(server.endpoint() + " UserService.createUser '{\"name\":\"Ed\",\"email\":\"e@x\"}' -v",
                   kIdl + " XDG_CACHE_HOME=" + cache.path().string());
  CHECK(r.out == "{\"id\":2,\"name\":\"Ed\",\"email\":\"e@x\"}\n");
  CHECK(r.err.find("auto: the server speaks binary/header") != std::string::npos);
  r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' -t header -p json", kIdl);
  CHECK(r.exit_code == 2);
}

TEST_CASE("THeader frames as HTTP bodies reach Python's THttpServer under THeaderProtocol", "[integration][theader]") {
  PythonServer server({"--transport", "http-header"});
  const std::string url = "http://" + server.endpoint() + "/";
  for (const char* protocol : {"binary", "compact"}) {
    for (const char* extra : {"", " --zlib -H 'X-Request-Id: 42'"}) {
      INFO(protocol << extra);
      auto r =
          run_cli(url + " PersonService.getPerson '{\"name\":\"Ann\"}' -t header -p " + protocol + extra + " -v", kIdl);
      CHECK(r.exit_code == 0);
      CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
      // The request body is a THeader frame: its length, then the magic 0x0FFF.
      CHECK(r.err.find(" bytes: 00000") != std::string::npos);
      CHECK(r.err.find("0fff") != std::string::npos);
    }
  }
  // Python's THttpServer answers a compact call in binary (its output protocol is
  // a fresh THeaderProtocol): the frame says so, and the reply is read in binary.
  // A declared exception comes back inside the frame too.
  auto r = run_cli(url + " PersonService.getPerson '{\"name\":\"nobody\"}' -t header", kIdl);
  CHECK(r.exit_code == 1);
  CHECK(r.out == "{\"PersonNotFound\":{\"name\":\"nobody\"}}\n");
}

TEST_CASE("THeader frames inside frames reach Python's THeaderProtocol over TFramedTransport",
          "[integration][theader]") {
  PythonServer server({"--transport", "framed+header"});
  for (const char* protocol : {"binary", "compact"}) {
    INFO(protocol);
    auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' -t framed+header --zlib -p " +
                         protocol + " -H 'X-Request-Id: 42'",
                     kIdl);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
  }
  // -t header alone is a frame the server reads as the start of a longer one:
  // answered in about a second, naming what works.
  auto started = std::chrono::steady_clock::now();
  auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' -t header -p binary", kIdl);
  CHECK(r.exit_code == 3);
  INFO(r.err);
  CHECK(r.err.find("--transport") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("a zlib stream (TZlibTransport) reaches Python's TZlibTransport server, forced or found by auto",
          "[integration][zlib]") {
  PythonServer server({"--transport", "zlib"});
  auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' -t zlib -p binary", kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
  thrift_call::test::ScratchDir cache;
  r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"nobody\"}' -v",
              kIdl + " XDG_CACHE_HOME=" + cache.path().string());
  CHECK(r.exit_code == 1);
  CHECK(r.out == "{\"PersonNotFound\":{\"name\":\"nobody\"}}\n");
  CHECK(r.err.find("auto: the server speaks binary/zlib") != std::string::npos);
  // A plain call is refused by the server (it cannot inflate it): the advice names zlib.
  r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' -t buffered -p binary", kIdl);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("the server answers binary/zlib: use --transport zlib") != std::string::npos);
}

TEST_CASE("flags that cannot apply to an endpoint are refused, not ignored", "[integration][call]") {
  PythonServer server({"--transport", "http"});
  const std::string url = "http://" + server.endpoint() + "/";
  const std::string call = " PersonService.getPerson '{\"name\":\"Ann\"}'";
  struct Refused {
    std::string command, says;
  };
  const Refused refused[] = {
      {url + call + " -t framed",
       "thrift-call: an HTTP body is the message itself or a THeader frame: use --transport buffered or header with "
       "http:// (--transport framed)\n"},
      {url + call + " -t zlib",
       "thrift-call: an HTTP body is the message itself or a THeader frame: use --transport buffered or header with "
       "http:// (--transport zlib)\n"},
      {url + call + " --zlib",
       "thrift-call: --zlib compresses THeader payloads: add --transport header (HTTP bodies are otherwise sent as "
       "they are) (--zlib)\n"},
      {server.endpoint() + call + " -t framed --zlib",
       "thrift-call: --zlib compresses THeader payloads: use it with --transport header (--zlib)\n"},
      // -H over a transport without headers (with -t header, or over HTTP, they travel).
      {server.endpoint() + call + " -t buffered -H 'X-Trace: 1'",
       "thrift-call: headers travel in HTTP requests and THeader frames, and --transport buffered has neither: use "
       "--transport header, or an http:// endpoint (-H)\n"},
  };
  for (const Refused& r : refused) {
    INFO(r.command);
    auto result = run_cli(r.command, kIdl);
    CHECK(result.exit_code == 2);
    CHECK(result.err == r.says);
  }
  CHECK(run_cli(url + call + " -H 'X-Trace: 1'", kIdl).exit_code == 0);
}

TEST_CASE("the --output and --out flags choose the shape and the place of the results", "[integration][call]") {
  PythonServer server({});
  thrift_call::test::ScratchDir dir;
  auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' -o pretty", kIdl);
  CHECK(r.out == "{\n  \"name\": \"Ann\",\n  \"age\": 30\n}\n");
  r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}'", kIdl);  // not a terminal
  CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
  std::string file = (dir.path() / "out.json").string();
  r = run_cli(server.endpoint() + " PersonService.getPerson @" THRIFT_CALL_SOURCE_DIR "/tests/integration/ann.json --out '" +
                  file + "'",
              kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(thrift_call::test::slurp(file) == "{\"name\":\"Ann\",\"age\":30}\n");
}

TEST_CASE("pipelining (--pipeline) sends calls ahead of their replies and keeps the output in input order",
          "[integration][call][batch]") {
  // Without --pipeline too: each reply is printed while the next call is
  // out, a TApplicationException's included.
  for (const char* pipeline : {" --pipeline 8", ""}) for (const char* server_kind : {"buffered", "framed"}) {
    INFO(server_kind << pipeline);
    PythonServer server({"--transport", server_kind});
    std::string input = "$'";
    for (int i = 1; i <= 40; ++i) input += "{\"a\":" + std::to_string(i) + ",\"b\":1}\\n";
    input += "{\"a\":\"x\"}\\n{\"a\":666,\"b\":1}\\n{\"a\":100,\"b\":1}'";
    auto r = run_cli(server.endpoint() + " Calculator.add --batch" + pipeline + " <<< " + input, kIdl);
    std::string expected;
    for (int i = 1; i <= 40; ++i) expected += std::to_string(i + 1) + "\n";
    expected += "{\"error\":{\"kind\":\"input\",\"message\":\"$.a: expected i32, got \\\"x\\\"\"}}\n";
    expected += "{\"error\":{\"kind\":\"protocol\",\"message\":\"TApplicationException INTERNAL_ERROR: Internal error (" +
                server.endpoint() + ")\"}}\n";
    expected += "101\n";
    CHECK(r.out == expected);
    CHECK(r.exit_code == 4);
  }
}

TEST_CASE("pipelined oneway calls all go out, though no reply makes them leave the queue",
          "[integration][call][batch]") {
  // Without --pipeline too, where a oneway call waits for no reply.
  for (const char* pipeline : {" --pipeline 8", ""}) {
    INFO("pipeline:" << pipeline);
    PythonServer server({"--transport", "framed"});
    auto r = run_cli(server.endpoint() + " Calculator.store -p binary -t framed --batch" + pipeline +
                         " <<< $'{\"value\":1}\\n{\"value\":2}\\n{\"value\":3}'",
                     kIdl);
    CHECK(r.out == "null\nnull\nnull\n");
    REQUIRE(r.exit_code == 0);
    // The server handles each connection on its own thread: give the first one
    // a moment to be read to the end.
    std::string recalled;
    for (int attempt = 0; attempt < 50 && recalled != "3\n"; ++attempt) {
      if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      recalled = run_cli(server.endpoint() + " Calculator.recall -p binary -t framed", kIdl).out;
    }
    CHECK(recalled == "3\n");
  }
}

TEST_CASE("an unknown service on a Python multiplexed server is named as a likely cause", "[integration][call]") {
  PythonServer server({"--multiplex"});
  auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' --multiplex Nope -p binary -t buffered",
                   kIdl);
  CHECK(r.exit_code == 3);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("or the server has no service \"Nope\"") != std::string::npos);
}
