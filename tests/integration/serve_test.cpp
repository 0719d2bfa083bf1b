// `thrift-call serve` against real Apache clients: Python (python3-thrift,
// code from `thrift --gen py` made at test time) and C++ (libthrift,
// tests/reference/serve_client.cpp), over every protocol and transport,
// multiplexed and THeader included; and the faults a server must survive.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "../support/certificate.h"
#include "../support/process.h"
#include "../support/sanitizer.h"

using thrift_call::test::command_output;
using thrift_call::test::count_lines;
using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;
using thrift_call::test::SelfSignedCertificate;
using thrift_call::test::ServerProcess;

namespace {

const std::string kSource = THRIFT_CALL_SOURCE_DIR;
const std::string kResponses = kSource + "/tests/integration/serve_responses.json";

// thrift-call serve on a free loopback port, recording off unless asked.
ServerProcess serve(std::vector<std::string> flags) {
  std::vector<std::string> argv = {THRIFT_CALL_BINARY, "serve", kSource + "/examples/person.thrift",
                                   kSource + "/examples/calculator.thrift", "--listen", "127.0.0.1:0"};
  bool records = false;
  for (const auto& f : flags) records = records || f == "--record";
  if (!records) argv.push_back("--no-record");
  argv.insert(argv.end(), flags.begin(), flags.end());
  return ServerProcess(argv);
}

std::string join(const std::vector<std::string>& combos) {
  std::string out;
  for (const auto& c : combos) out += " " + c;
  return out;
}

std::string expected_oks(const std::vector<std::string>& combos) {
  std::string out;
  for (const auto& c : combos) out += "ok " + c + "\n";
  return out;
}

const std::vector<std::string> kEveryCombination = {
    "binary/buffered", "compact/buffered", "json/buffered",   "binary/framed",      "compact/framed",
    "json/framed",     "binary/header",    "compact/header",  "binary/http",        "compact/http",
    "json/http",       "binary/buffered/mux", "compact/framed/mux", "json/buffered/mux", "binary/header/mux",
    "compact/header/mux", "json/http/mux"};

std::string python_clients(const std::string& port, const std::vector<std::string>& combos) {
  return command_output("/usr/bin/python3 " + kSource + "/tests/integration/serve_client.py " + port + join(combos) +
                        " 2>&1");
}

std::string cpp_clients(const std::string& port, const std::vector<std::string>& combos) {
  return command_output(std::string(THRIFT_CALL_SERVE_CLIENT) + " " + port + join(combos) + " 2>&1");
}

// What a client that does not exit 0 printed (command_output fails on it).
std::string output_of(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

int connect_to(const std::string& port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(port)));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return fd;
}

void send_bytes(int fd, const std::string& bytes) {
  REQUIRE(send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
}

// True when the server closes the connection (recv returns 0) within 5 s.
bool closed_by_server(int fd) {
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
}

long rss_kb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

// A binary call of PersonService.getPerson("Ann"), seqid 1, as Apache's TBinaryProtocol writes it.
std::string binary_get_person() {
  std::string m = std::string("\x80\x01\x00\x01", 4) + std::string("\x00\x00\x00\x09", 4) + "getPerson" +
                  std::string("\x00\x00\x00\x01", 4) + std::string("\x0b\x00\x01\x00\x00\x00\x03", 7) + "Ann" +
                  std::string("\x00", 1);
  return m;
}

}  // namespace

TEST_CASE("serve answers Apache's Python clients in every protocol and transport, multiplexed and THeader included",
          "[integration][serve]") {
  auto server = serve({"--responses", kResponses});
  std::vector<std::string> combos = kEveryCombination;
  combos.insert(combos.end(),
                {"binary/header-zlib", "compact/header-zlib/mux", "binary-old/buffered", "binary-old/framed",
                 "binary/http-header", "compact/http-header-zlib/mux", "binary/framed+header",
                 "compact/framed+header/mux", "binary/zlib", "compact/zlib/mux", "json/zlib"});
  CHECK(python_clients(server.address(), combos) == expected_oks(combos));
}

TEST_CASE("serve answers Apache's C++ clients in every protocol and transport, multiplexed and THeader included",
          "[integration][serve]") {
  auto server = serve({"--responses", kResponses});
  CHECK(cpp_clients(server.address(), kEveryCombination) == expected_oks(kEveryCombination));
}

TEST_CASE("serve with a fixed protocol and transport closes clients that speak others", "[integration][serve]") {
  auto server = serve({"--responses", kResponses, "--protocol", "compact", "--transport", "framed"});
  CHECK(cpp_clients(server.address(), {"compact/framed", "compact/framed/mux"}) ==
        expected_oks({"compact/framed", "compact/framed/mux"}));
  std::string refused = output_of(std::string(THRIFT_CALL_SERVE_CLIENT) + " " + server.address() +
                                  " binary/framed compact/buffered compact/http");
  CHECK(refused.find("FAIL binary/framed") != std::string::npos);
  CHECK(refused.find("FAIL compact/buffered") != std::string::npos);
  CHECK(refused.find("FAIL compact/http") != std::string::npos);
}

TEST_CASE(
    "serve speaks TLS with a certificate, HTTPS included, to Python's TSSLSocket and THttpClient and to thrift-call",
    "[integration][serve][tls]") {
  ScratchDir dir;
  std::string cert = (dir.path() / "cert.pem").string(), key = (dir.path() / "key.pem").string();
  REQUIRE(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext "
                       "'subjectAltName=IP:127.0.0.1,DNS:localhost' -keyout '" + key + "' -out '" + cert +
                       "' >/dev/null 2>&1").c_str()) == 0);
  auto server = serve({"--responses", kResponses, "--cert", cert, "--key", key});
  // HTTPS: the loop holds the TLS and relays the HTTP inside to libmicrohttpd.
  const std::vector<std::string> combos = {"binary/tls-buffered", "compact/tls-framed/mux",
                                           "binary/buffered",     "binary/https",
                                           "compact/https/mux",   "json/https",
                                           "binary/https-header", "compact/https-header-zlib/mux"};
  CHECK(python_clients(server.address(), combos) == expected_oks(combos));
  for (const char* endpoint : {"127.0.0.1:", "https://127.0.0.1:"}) {
    auto r = run_cli(
        endpoint + server.address() + " PersonService.getPerson '{\"name\":\"Ann\"}' --tls --cacert '" + cert + "'",
        "THRIFT_CALL_IDL=examples");
    INFO(endpoint << " " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
  }
  // A 9 MB call crosses the relay in pieces, both ways under its marks.
  ScratchDir big;
  std::string args = big.write("big.json", "{\"name\":\"" + std::string(9 << 20, 'n') + "\"}");
  auto r = run_cli(
      "https://127.0.0.1:" + server.address() + "/ PersonService.getPerson @" + args + " --cacert '" + cert + "'",
      "THRIFT_CALL_IDL=examples");
  CHECK(r.exit_code == 0);

  auto tls_only = serve({"--responses", kResponses, "--cert", cert, "--key", key, "--tls"});
  CHECK(python_clients(tls_only.address(), {"binary/tls-buffered"}) == expected_oks({"binary/tls-buffered"}));
  CHECK(output_of("/usr/bin/python3 " + kSource + "/tests/integration/serve_client.py " + tls_only.address() +
                  " binary/buffered")
            .find("FAIL binary/buffered") != std::string::npos);
}

TEST_CASE("HTTPS through serve's relay: a slow answer outlasts --idle-timeout, a body over --max-message gets its 413",
          "[integration][serve][tls]") {
  SelfSignedCertificate tls;
  ScratchDir dir;
  std::string rules = dir.write("rules.json", R"({"PersonService.getPerson": [
      {"when": {"name": "slow"}, "return": {"name": "slow", "age": 1}, "delay_ms": 1500},
      {"return": {"name": "x", "age": 2}}]})");
  auto server = serve({"--responses", rules, "--idle-timeout", "0.5", "--max-message", "1048576", "--cert", tls.cert(),
                       "--key", tls.key()});
  const std::string url = "https://127.0.0.1:" + server.address() + "/ PersonService.getPerson ";
  const std::string env = "THRIFT_CALL_IDL=examples";
  // libmicrohttpd holds the call past the loop's idle timeout: the relay waits for it.
  auto slow = run_cli(url + "'{\"name\":\"slow\"}' --cacert '" + tls.cert() + "'", env);
  CHECK(slow.exit_code == 0);
  CHECK(slow.out == "{\"name\":\"slow\",\"age\":1}\n");
  // libmicrohttpd answers 413 and stops reading: the answer still reaches the client.
  std::string big = dir.write("big.json", "{\"name\":\"" + std::string(2 << 20, 'n') + "\"}");
  auto refused = run_cli(url + "@" + big + " --cacert '" + tls.cert() + "'", env);
  INFO(refused.err);
  CHECK(refused.exit_code == 3);
  CHECK(refused.err.find("HTTP status 413: the request is larger than the limit of 1048576 bytes (https://") !=
        std::string::npos);
  CHECK(run_cli(url + "'{\"name\":\"a\"}' --cacert '" + tls.cert() + "'", env).out == "{\"name\":\"x\",\"age\":2}\n");
}

TEST_CASE("serve without rules answers every method with the zero value and IDL defaults, or echoes with --echo",
          "[integration][serve]") {
  const std::string idl = kSource + "/examples/person.thrift";
  {
    auto server = serve({});
    auto r = run_cli("127.0.0.1:" + server.address() + " PersonService.getPerson '{\"name\":\"Zed\"}'",
                     "THRIFT_CALL_IDL=examples");
    CHECK(r.out == "{\"name\":\"\",\"age\":0}\n");
    CHECK(r.exit_code == 0);
  }
  ScratchDir dir;
  std::string echo_idl = dir.write("echo.thrift",
                                   "struct Box { 1: i32 size = 7, 2: optional string label, 3: list<i32> items }\n"
                                   "enum Colour { RED = 1, GREEN = 2 }\n"
                                   "service Echo { Box make(1: string name), string shout(1: i32 n, 2: string s),"
                                   " Colour pick(), map<string, Box> all() }\n");
  ServerProcess server({THRIFT_CALL_BINARY, "serve", echo_idl, "--listen", "127.0.0.1:0", "--no-record", "--echo"});
  std::string env = "THRIFT_CALL_IDL=" + echo_idl;
  std::string at = "127.0.0.1:" + server.address();
  CHECK(run_cli(at + " Echo.make '{\"name\":\"x\"}'", env).out == "{\"size\":7,\"items\":[]}\n");
  CHECK(run_cli(at + " Echo.shout '{\"n\":1,\"s\":\"hey\"}'", env).out == "\"hey\"\n");
  CHECK(run_cli(at + " Echo.pick", env).out == "\"RED\"\n");
  CHECK(run_cli(at + " Echo.all", env).out == "{}\n");
}

TEST_CASE("serve records each request and reply as one NDJSON line", "[integration][serve]") {
  ScratchDir dir;
  std::string record = (dir.path() / "calls.ndjson").string();
  {
    auto server = serve({"--responses", kResponses, "--record", record});
    cpp_clients(server.address(), {"compact/framed/mux"});
    CHECK(server.stop_with(SIGTERM) == 0);
  }
  auto lines = thrift_call::test::json_lines(thrift_call::test::slurp(record));
  REQUIRE(lines.size() == 7);
  CHECK(lines[0]["method"] == "PersonService.getPerson");
  CHECK(lines[0]["protocol"] == "compact");
  CHECK(lines[0]["framing"] == "framed");
  CHECK(lines[0]["type"] == "call");
  CHECK(lines[0]["seqid"].is_number());
  CHECK(lines[0]["peer"].get<std::string>().rfind("127.0.0.1:", 0) == 0);
  CHECK(lines[0]["args"].dump() == R"({"name":"Ann"})");
  CHECK(lines[0]["reply"].dump() == R"({"return":{"name":"Ann","age":30}})");
  CHECK(lines[1]["reply"].dump() == R"({"throw":{"PersonNotFound":{"name":"nobody"}}})");
  CHECK(lines[2]["reply"].dump() == R"({"return":null})");
  CHECK(lines[5]["reply"].dump() == R"({"error":{"type":6,"name":"INTERNAL_ERROR","message":"the handler failed"}})");
}

TEST_CASE("serve answers a THeader frame in an HTTP body with one, in its protocol and zlib, and records it so",
          "[integration][serve][theader]") {
  ScratchDir dir;
  std::string record = (dir.path() / "calls.ndjson").string();
  {
    auto server = serve({"--responses", kResponses, "--record", record, "--transport", "http"});
    const std::string url = "http://127.0.0.1:" + server.address() + "/";
    auto r = run_cli(url + " PersonService.getPerson '{\"name\":\"Ann\"}' -t header -p compact --zlib -v",
                     "THRIFT_CALL_IDL=examples");
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
    // The reply: protocol id 2 (compact), one transform, 1 (zlib), padding, then a zlib stream (0x78).
    CHECK(r.err.find("0201010078") != std::string::npos);
    r = run_cli(url + " PersonService.getPerson '{\"name\":\"nobody\"}' -t header -p binary",
                "THRIFT_CALL_IDL=examples");
    CHECK(r.exit_code == 1);
    CHECK(r.out == "{\"PersonNotFound\":{\"name\":\"nobody\"}}\n");
    // A frame with a transform nobody defines (9): 400, naming it.
    std::string answer = output_of(
        "/usr/bin/python3 -c 'import urllib.request as u, urllib.error as e\ntry: u.urlopen(u.Request(\"" + url +
        "\", data=bytes.fromhex(\"0000000e0fff0000000000000001000109 00\".replace(\" \", \"\"))))\n"
        "except e.HTTPError as x: print(x.code, x.read().decode())'");
    CHECK(answer.find("400 the body is a THeader frame that cannot be read: a bad THeader frame: unknown THeader "
                      "transform 9") == 0);
    CHECK(server.stop_with(SIGTERM) == 0);
  }
  auto lines = thrift_call::test::json_lines(thrift_call::test::slurp(record));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["framing"] == "http+header");
  CHECK(lines[0]["protocol"] == "compact");
  CHECK(lines[1]["protocol"] == "binary");
}

TEST_CASE("a method name that is not UTF-8 is recorded with U+FFFD, and serve goes on", "[integration][serve][bad-input]") {
  ScratchDir dir;
  std::string record = (dir.path() / "calls.ndjson").string();
  auto server = serve({"--responses", kResponses, "--record", record});
  int fd = connect_to(server.address());
  std::string name = "get\xffPerson";
  send_bytes(fd, std::string("\x80\x01\x00\x01", 4) + std::string("\x00\x00\x00\x0a", 4) + name +
                     std::string("\x00\x00\x00\x01", 4) + std::string("\x00", 1));
  char reply[512];
  CHECK(recv(fd, reply, sizeof reply, 0) > 0);  // answered (an unknown method), not dropped
  close(fd);
  CHECK(cpp_clients(server.address(), {"binary/buffered"}) == expected_oks({"binary/buffered"}));
  CHECK(server.stop_with(SIGTERM) == 0);
  auto lines = thrift_call::test::json_lines(thrift_call::test::slurp(record));
  REQUIRE(!lines.empty());
  CHECK(lines[0]["method"] == "get\xef\xbf\xbdPerson");
}

TEST_CASE("a bad responses file is refused at start with its place", "[integration][serve][bad-input]") {
  ScratchDir dir;
  auto run = [&](const std::string& json) {
    std::string file = dir.write("r.json", json);
    return run_cli("serve examples/person.thrift --listen 0 --responses " + file);
  };
  auto r = run(R"({"PersonService.getPerson": {"return": {"name": "Ann", "age": "thirty"}}})");
  CHECK(r.exit_code == 2);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("\"PersonService.getPerson\"") != std::string::npos);
  CHECK(r.err.find("expected i32") != std::string::npos);
  r = run(R"({"PersonService.getPerson": {"throw": {"Nope": {}}}})");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("does not declare the exception \"Nope\" (it declares: PersonNotFound)") != std::string::npos);
  r = run(R"({"PersonService.fly": {"return": 1}})");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no function \"PersonService.fly\"") != std::string::npos);
  r = run(R"({"PersonService.getPerson": [{"when": {"nome": "x"}, "return": {"name": "a", "age": 1}}]})");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("\"when\" names \"nome\"") != std::string::npos);
}

TEST_CASE("a zlib stream that does not inflate, or inflates past the limit, closes only its own connection",
          "[integration][serve][fault][zlib]") {
  auto server = serve({"--responses", kResponses, "--max-message", "1048576"});
  int corrupt = connect_to(server.address());
  send_bytes(corrupt, std::string("\x78\x9c", 2) + "this is no deflate data at all");
  CHECK(closed_by_server(corrupt));
  close(corrupt);

  // 256 MiB of zeros in about 256 KB: inflated only up to the message limit.
  std::string zeros(size_t{256} << 20, '\0');
  uLongf size = compressBound(static_cast<uLong>(zeros.size()));
  std::string bomb(size, '\0');
  REQUIRE(compress2(reinterpret_cast<Bytef*>(bomb.data()), &size, reinterpret_cast<const Bytef*>(zeros.data()),
                    static_cast<uLong>(zeros.size()), 9) == Z_OK);
  bomb.resize(size);
  std::string().swap(zeros);
  int bomber = connect_to(server.address());
  send_bytes(bomber, bomb);
  CHECK(closed_by_server(bomber));
  close(bomber);
  // Under ASan its shadow memory makes RSS incomparable (tests/support/sanitizer.h).
  if (!thrift_call::test::kSanitized) CHECK(rss_kb(server.pid()) < 64 * 1024);

  auto r = run_cli("127.0.0.1:" + server.address() + " PersonService.getPerson '{\"name\":\"Ann\"}' -t zlib -p json",
                   "THRIFT_CALL_IDL=examples");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
}

TEST_CASE("serve refuses a port in use with exit code 3", "[integration][serve]") {
  auto server = serve({});
  auto r = run_cli("serve examples/person.thrift --listen 127.0.0.1:" + server.address());
  CHECK(r.exit_code == 3);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("the address is in use") != std::string::npos);
}

TEST_CASE("serve listens on a Unix socket", "[integration][serve]") {
  ScratchDir dir;
  std::string path = (dir.path() / "serve.sock").string();
  ServerProcess server({THRIFT_CALL_BINARY, "serve", kSource + "/examples/person.thrift",
                        kSource + "/examples/calculator.thrift", "--listen", "unix:" + path, "--no-record",
                        "--responses", kResponses});
  CHECK(server.address() == path);
  auto r = run_cli("unix:" + path + " PersonService.getPerson '{\"name\":\"nobody\"}'", "THRIFT_CALL_IDL=examples");
  CHECK(r.exit_code == 1);
  CHECK(r.out == "{\"PersonNotFound\":{\"name\":\"nobody\"}}\n");
}

TEST_CASE("garbage, a close mid-request and an oversize frame close only their own connection",
          "[integration][serve][fault]") {
  auto server = serve({"--responses", kResponses, "--max-message", "4096"});
  int patient = connect_to(server.address());  // a good client, connected all along
  send_bytes(patient, binary_get_person().substr(0, 10));

  int garbage = connect_to(server.address());
  send_bytes(garbage, std::string("\xff\xfe garbage that no protocol reads\n", 33));
  CHECK(closed_by_server(garbage));
  close(garbage);

  int framed_garbage = connect_to(server.address());
  send_bytes(framed_garbage, std::string("\x00\x00\x00\x08", 4) + "\x80\x01zzzzzz");
  CHECK(closed_by_server(framed_garbage));
  close(framed_garbage);

  int oversize = connect_to(server.address());
  send_bytes(oversize, std::string("\x00\x10\x00\x00", 4) + "\x80\x01\x00\x01");  // 1 MiB frame, limit 4 KiB
  CHECK(closed_by_server(oversize));
  close(oversize);

  int unframed_oversize = connect_to(server.address());
  std::string huge = binary_get_person().substr(0, 24) + std::string("\x00\x01\x00\x00", 4);  // a 64 KiB name
  send_bytes(unframed_oversize, huge + std::string(8192, 'x'));
  CHECK(closed_by_server(unframed_oversize));
  close(unframed_oversize);

  for (int i = 0; i < 5; ++i) {
    int half = connect_to(server.address());
    send_bytes(half, binary_get_person().substr(0, 12));
    close(half);  // mid-request
  }

  // The patient client finishes its call and gets its reply.
  send_bytes(patient, binary_get_person().substr(10));
  char reply[256];
  ssize_t n = recv(patient, reply, sizeof reply, 0);
  CHECK(n > 20);
  CHECK(std::string(reply, static_cast<size_t>(std::max<ssize_t>(n, 0))).find("Ann") != std::string::npos);
  close(patient);
  CHECK(cpp_clients(server.address(), {"binary/buffered", "json/framed"}) ==
        expected_oks({"binary/buffered", "json/framed"}));
}

TEST_CASE("1,000 idle connections cost little memory and do not stop a good client being answered",
          "[integration][serve][fault]") {
  auto server = serve({"--responses", kResponses});
  CHECK(cpp_clients(server.address(), {"binary/buffered"}) == expected_oks({"binary/buffered"}));
  long before = rss_kb(server.pid());
  std::vector<int> idle;
  for (int i = 0; i < 1000; ++i) {
    idle.push_back(connect_to(server.address()));
    if (i % 3 == 0) send_bytes(idle.back(), std::string("\x00\x00", 2));  // some half a frame length
  }
  CHECK(cpp_clients(server.address(), {"compact/framed", "binary/header/mux", "json/http"}) ==
        expected_oks({"compact/framed", "binary/header/mux", "json/http"}));
  long after = rss_kb(server.pid());
  INFO("RSS before " << before << " kB, with 1,000 idle connections " << after << " kB");
  CHECK(after - before < 20 * 1024);
  for (int fd : idle) close(fd);
}

TEST_CASE("connections beyond --max-conns are closed at once, and idle ones after --idle-timeout",
          "[integration][serve][fault]") {
  auto server = serve({"--responses", kResponses, "--max-conns", "2", "--idle-timeout", "0.3"});
  int a = connect_to(server.address());
  int b = connect_to(server.address());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  int c = connect_to(server.address());
  CHECK(closed_by_server(c));
  close(c);
  // a and b go idle and are closed; then there is room again.
  CHECK(closed_by_server(a));
  CHECK(closed_by_server(b));
  close(a);
  close(b);
  CHECK(cpp_clients(server.address(), {"binary/buffered"}) == expected_oks({"binary/buffered"}));
}

TEST_CASE("SIGTERM answers the calls already sent, delayed ones included, then serve exits 0", "[integration][serve]") {
  auto server = serve({"--responses", kResponses});
  std::string port = server.address();
  int slow = connect_to(port);
  std::string call = binary_get_person();
  call.replace(call.find("Ann"), 3, "slo");
  call.insert(call.find("slo") + 3, "w");
  call[call.find("slow") - 1] = '\x04';  // the string's length
  send_bytes(slow, call);
  // Connected and sent before the signal, not necessarily read: answered all the same.
  auto started = std::chrono::steady_clock::now();
  int code = server.stop_with(SIGTERM);
  char reply[256];
  ssize_t n = recv(slow, reply, sizeof reply, 0);
  CHECK(code == 0);
  CHECK(n > 0);
  CHECK(std::string(reply, static_cast<size_t>(std::max<ssize_t>(n, 0))).find("slow") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
  close(slow);
}

TEST_CASE("ThriftTest served from a responses file and --echo answers Apache's Python client as the IDL's comments say",
          "[integration][serve][thrifttest]") {
  const std::string idl = kSource + "/tests/data/ThriftTest.thrift";
  ServerProcess server({THRIFT_CALL_BINARY, "serve", idl, "--listen", "127.0.0.1:0", "--no-record", "--echo",
                        "--responses", kSource + "/tests/integration/thrifttest_responses.json"});
  const std::vector<std::string> combos = {"binary/buffered", "compact/framed", "json/buffered", "compact/http"};
  CHECK(command_output("/usr/bin/python3 " + kSource + "/tests/integration/thrifttest_client.py " + idl + " " +
                       server.address() + join(combos) + " 2>&1") == expected_oks(combos));
}

TEST_CASE("pipelined calls arriving back to back are each answered, in order", "[integration][serve]") {
  auto server = serve({"--responses", kResponses});
  std::string lines;
  for (int i = 0; i < 300; ++i) lines += i % 3 == 0 ? "{\"a\":666,\"b\":0}\n" : "{\"a\":1,\"b\":2}\n";
  ScratchDir dir;
  std::string input = dir.write("calls.ndjson", lines);
  for (const char* flags : {"-p json -t buffered", "-p compact -t framed", "-p binary -t header"}) {
    INFO(flags);
    auto r = run_cli("127.0.0.1:" + server.address() + " Calculator.add --batch --pipeline 32 " + flags + " <<< \"$(cat '" +
                         input + "')\"",
                     "THRIFT_CALL_IDL=examples");
    REQUIRE(count_lines(r.out) == 300);
    auto results = thrift_call::test::json_lines(r.out);
    for (size_t i = 0; i < results.size(); ++i) {
      if (i % 3 == 0) {
        CHECK(results[i]["error"]["message"].get<std::string>().find("the handler failed") != std::string::npos);
      } else {
        CHECK(results[i] == 3);
      }
    }
  }
}

TEST_CASE("input held for unfinished calls is bounded over all connections together", "[integration][serve][fault]") {
  // --max-message 4096: at most 16 x 4096 bytes of unanswered input in the whole server.
  auto server = serve({"--responses", kResponses, "--max-message", "4096"});
  std::string partial = binary_get_person().substr(0, 24) + std::string("\x00\x00\x0f\xa0", 4) + std::string(3900, 'x');
  std::vector<int> fillers;
  for (int i = 0; i < 24; ++i) {
    fillers.push_back(connect_to(server.address()));
    send_bytes(fillers.back(), partial);  // a 4,000-byte name, never finished
  }
  int closed = 0;
  for (int fd : fillers) {
    timeval quick{0, 200000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &quick, sizeof quick);
    char b;
    if (recv(fd, &b, 1, 0) == 0) ++closed;
  }
  CHECK(closed >= 24 - 16);
  CHECK(closed < 24);
  for (int fd : fillers) close(fd);
  CHECK(cpp_clients(server.address(), {"binary/buffered"}) == expected_oks({"binary/buffered"}));
}
