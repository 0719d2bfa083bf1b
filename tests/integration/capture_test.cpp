// `thrift-call decode` on captured traffic and wire dumps, and `sniff`:
// captures recorded with tcpdump on loopback while Apache's Python client
// calls Python and C++ servers (tests/integration/capture_check.py), captures
// with faults written by tests/integration/make_capture.py, hex dumps made by
// xxd, hexdump, tcpdump and in Wireshark's format, and hostile input.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "../support/process.h"
#include "python_server.h"

using thrift_call::test::command_output;
using thrift_call::test::count_lines;
using thrift_call::test::PythonServer;
using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;

namespace {

const std::string kSource = THRIFT_CALL_SOURCE_DIR;
const std::string kIdl = " --idl examples/person.thrift --idl examples/calculator.thrift";

// What a command printed, whatever its exit code (command_output fails on non-zero).
std::string output_of(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

std::string make_capture(const ScratchDir& dir, const std::string& kind) {
  std::string path = (dir.path() / (kind + ".pcap")).string();
  command_output("/usr/bin/python3 " + kSource + "/tests/integration/make_capture.py " + kind + " " + path);
  return path;
}

std::vector<nlohmann::json> lines_of(const std::string& out) {
  std::vector<nlohmann::json> lines;
  size_t pos = 0;
  while (pos < out.size()) {
    size_t end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    if (end > pos) lines.push_back(nlohmann::json::parse(out.substr(pos, end - pos)));
    pos = end + 1;
  }
  return lines;
}

// The two calls of make_capture.py's exchanges, paired with their replies.
void check_two_pairs(const std::string& out) {
  auto lines = lines_of(out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["method"] == "PersonService.getPerson");
  CHECK(lines[0]["args"] == nlohmann::json::parse(R"({"name":"Ann"})"));
  CHECK(lines[0]["reply"] == nlohmann::json::parse(R"({"return":{"name":"Ann","age":30}})"));
  CHECK(lines[1]["args"] == nlohmann::json::parse(R"({"name":"Bo"})"));
  CHECK(lines[1]["reply"] == nlohmann::json::parse(R"({"return":{"name":"Bo","age":20}})"));
}

}  // namespace

TEST_CASE("decode gives exactly the calls and replies of Python clients captured with tcpdump: Python server",
          "[integration][decode][capture]") {
  std::string out = output_of("/usr/bin/python3 " + kSource +
                              "/tests/integration/capture_check.py " THRIFT_CALL_BINARY " " THRIFT_CALL_EXAMPLE_SERVER
                              " py/binary/buffered py/compact/buffered py/json/buffered py/binary/framed"
                              " py/compact/framed py/json/framed py/binary/header py/compact/header py/binary/http"
                              " py/compact/http py/json/http py/binary/buffered/mux py/compact/header/mux"
                              " py/json/framed/mux py/binary/http/mux py/compact/header-zlib py/binary/http-header"
                              " py/compact/framed+header py/binary/zlib py/compact/zlib/mux py/compact/zlib+header");
  INFO(out);
  CHECK(out.find("FAIL") == std::string::npos);
  CHECK(count_lines(out) == 21);
}

TEST_CASE("decode gives exactly the calls and replies of Python clients captured with tcpdump: C++ server",
          "[integration][decode][capture]") {
  std::string out = output_of("/usr/bin/python3 " + kSource + "/tests/integration/capture_check.py " THRIFT_CALL_BINARY
                              " " THRIFT_CALL_EXAMPLE_SERVER
                              " cpp/binary/buffered cpp/compact/framed cpp/json/buffered cpp/binary/header"
                              " cpp/compact/header cpp/binary/framed/mux cpp/compact/buffered/mux cpp/json/http");
  INFO(out);
  CHECK(out.find("FAIL") == std::string::npos);
  CHECK(count_lines(out) == 8);
}

TEST_CASE("decode gives what serve recorded for Apache's C++ clients in every protocol and transport, captured with tcpdump",
          "[integration][decode][capture]") {
  if (::geteuid() != 0) return;  // tcpdump on lo needs root
  ScratchDir dir;
  std::string record = (dir.path() / "record.ndjson").string();
  std::string pcap = (dir.path() / "cpp.pcap").string(), tcpdump_err = (dir.path() / "tcpdump.err").string();
  const std::vector<std::string> combos = {"binary/buffered", "compact/framed", "json/buffered", "binary/header",
                                           "compact/header/mux", "binary/http", "json/framed/mux", "compact/http/mux"};
  std::string combo_args;
  for (const auto& c : combos) combo_args += " " + c;
  // tcpdump now and then misses a loopback packet on a loaded machine;
  // decode then rightly reports a gap, and the capture is made again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::filesystem::remove(record);
    thrift_call::test::ServerProcess server({THRIFT_CALL_BINARY, "serve", kSource + "/examples/person.thrift",
                                             kSource + "/examples/calculator.thrift", "--listen", "127.0.0.1:0",
                                             "--responses", kSource + "/tests/integration/serve_responses.json",
                                             "--record", record});
    pid_t tcpdump = fork();
    REQUIRE(tcpdump >= 0);
    if (tcpdump == 0) {
      std::string command = "exec tcpdump -i lo -U --immediate-mode -B 16384 -n -w '" + pcap + "' tcp port " +
                            server.address() + " 2>'" + tcpdump_err + "'";
      execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    bool listening = false;
    for (int i = 0; i < 200 && !listening; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      listening = thrift_call::test::slurp(tcpdump_err).find("listening on") != std::string::npos;
    }
    std::string clients = output_of(std::string(THRIFT_CALL_SERVE_CLIENT) + " " + server.address() + combo_args);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    kill(tcpdump, SIGINT);
    int status = 0;
    waitpid(tcpdump, &status, 0);
    REQUIRE(listening);
    REQUIRE(clients.find("FAIL") == std::string::npos);
    server.stop_with(SIGTERM);

    auto r = run_cli("decode --pairs " + pcap + kIdl);
    if (r.err.find("were not captured") != std::string::npos && attempt < 2) continue;
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    auto decoded = lines_of(r.out);
    auto recorded = lines_of(thrift_call::test::slurp(record));
    REQUIRE(decoded.size() == recorded.size());
    REQUIRE(!decoded.empty());
    for (size_t i = 0; i < decoded.size(); ++i) {
      INFO("call " << i << ": decoded " << decoded[i].dump() << ", recorded " << recorded[i].dump());
      CHECK(decoded[i]["method"] == recorded[i]["method"]);
      CHECK(decoded[i]["args"] == recorded[i]["args"]);
      CHECK(decoded[i]["framing"] == recorded[i]["framing"]);
      CHECK(decoded[i]["protocol"] == recorded[i]["protocol"]);
      CHECK(decoded[i]["seqid"] == recorded[i]["seqid"]);
      CHECK(decoded[i]["reply"] == recorded[i]["reply"]);
    }
    break;
  }
}

TEST_CASE("decode puts reordered duplicated overlapping and one-byte segments back in order", "[decode][capture]") {
  ScratchDir dir;
  auto r = run_cli("decode --pairs " + make_capture(dir, "reordered") + kIdl);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  check_two_pairs(r.out);
}

TEST_CASE("decode reassembles a call captured one byte a segment last byte first", "[decode][capture]") {
  ScratchDir dir;
  auto r = run_cli("decode --pairs " + make_capture(dir, "reversed") + kIdl);
  CHECK(r.err.empty());
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["args"]["name"] == std::string(1980, 'A'));
  CHECK(lines[0]["reply"]["return"]["age"] == 19800);
}

TEST_CASE("decode reads Ethernet Linux cooked v2 null and raw IP link types and IPv6", "[decode][capture]") {
  ScratchDir dir;
  for (const char* kind : {"ordered", "sll2", "null", "raw", "ipv6", "old-binary-framed"}) {
    INFO(kind);
    auto r = run_cli(std::string("decode --pairs ") + make_capture(dir, kind) + kIdl);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    check_two_pairs(r.out);
    auto lines = lines_of(r.out);
    CHECK(lines[0]["latency_us"] == 999);
    CHECK(lines[0]["seqid"] == 1);
    CHECK(lines[0]["framing"] == "framed");
  }
}

TEST_CASE("decode reads the old non-strict binary envelope unframed", "[decode][capture]") {
  ScratchDir dir;
  auto r = run_cli("decode --pairs " + make_capture(dir, "old-binary") + kIdl);
  CHECK(r.err.empty());
  check_two_pairs(r.out);
  CHECK(lines_of(r.out)[0]["framing"] == "buffered");
}

TEST_CASE("decode reads chunked HTTP bodies", "[decode][capture]") {
  ScratchDir dir;
  auto r = run_cli("decode --pairs " + make_capture(dir, "http-chunked") + kIdl);
  INFO(r.err);
  CHECK(r.err.empty());
  check_two_pairs(r.out);
  CHECK(lines_of(r.out)[0]["framing"] == "http");
}

TEST_CASE("decode reports a capture gap with its position and reads on", "[decode][capture][bad-input]") {
  ScratchDir dir;
  auto r = run_cli("decode --pairs " + make_capture(dir, "gap") + kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("(server): byte 10: 10 bytes were not captured") != std::string::npos);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 2);
  // The second exchange is whole; the first call lost its reply.
  CHECK(lines[0]["args"]["name"] == "Bo");
  CHECK(lines[0]["reply"]["return"]["age"] == 20);
  CHECK(lines[1]["args"]["name"] == "Ann");
  CHECK(lines[1]["reply"].is_null());
}

TEST_CASE("decode skips random bytes inside a stream and says how many", "[decode][capture][bad-input]") {
  ScratchDir dir;
  auto r = run_cli("decode " + make_capture(dir, "garbage") + kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("byte 36: skipped 300 bytes that are not Thrift") != std::string::npos);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1]["args"]["name"] == "Bo");
}

TEST_CASE("decode names a 2 GB length prefix and reads the message after it", "[decode][capture][bad-input]") {
  ScratchDir dir;
  auto r = run_cli("decode " + make_capture(dir, "huge-frame") + kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("byte 0: frame length 2147483632 is over --max-message") != std::string::npos);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["args"]["name"] == "Bo");
}

TEST_CASE("decode of a truncated pcap prints what it read then one error line with the packet", "[decode][capture][bad-input]") {
  ScratchDir dir;
  auto r = run_cli("decode --pairs " + make_capture(dir, "truncated") + kIdl);
  CHECK(r.exit_code == 2);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("after packet 7: truncated dump file") != std::string::npos);
  check_two_pairs(r.out);
}

TEST_CASE("decode of a pcap claiming a 4 GB snaplen reads its packets", "[decode][capture][bad-input]") {
  ScratchDir dir;
  auto r = run_cli("decode --pairs " + make_capture(dir, "bad-snaplen") + kIdl);
  CHECK(r.exit_code == 0);
  check_two_pairs(r.out);
}

TEST_CASE("decode --input pcap of a file with a wrong magic is one error line", "[decode][capture][bad-input]") {
  ScratchDir dir;
  std::string path = dir.write("bad.pcap", std::string("\x12\x34\x56\x78 not a capture at all, only text", 36));
  auto r = run_cli("decode --input pcap " + path);
  CHECK(r.exit_code == 2);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("not a capture libpcap can read") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("decode reads messages from hex dumps in every supported format", "[decode][dump]") {
  ScratchDir dir;
  std::string stream = make_capture(dir, "stream");  // bytes of messages, not a pcap
  std::string pcap = make_capture(dir, "ordered");
  // Wireshark's "Copy as Hex Dump", written here: offset, 3 spaces, bytes, 3 spaces, text.
  std::string bytes = thrift_call::test::slurp(stream);
  std::string wireshark;
  for (size_t i = 0; i < bytes.size(); i += 16) {
    char line[128];
    int n = std::snprintf(line, sizeof line, "%04zx  ", i);
    std::string text(line, static_cast<size_t>(n));
    for (size_t k = i; k < i + 16; ++k) {
      if (k < bytes.size()) {
        std::snprintf(line, sizeof line, " %02x", static_cast<unsigned char>(bytes[k]));
        text += line;
      } else {
        text += "   ";
      }
    }
    text += "   ";
    for (size_t k = i; k < i + 16 && k < bytes.size(); ++k) text += bytes[k] >= 32 && bytes[k] < 127 ? bytes[k] : '.';
    wireshark += text + "\n";
  }
  std::string wireshark_file = dir.write("wireshark.txt", wireshark);
  for (std::string producer : {"xxd " + stream, "hexdump -C " + stream, "xxd -p " + stream, "base64 " + stream,
                               "cat " + wireshark_file, "cat " + stream, "tcpdump -n -X -r " + pcap,
                               "tcpdump -n -xx -r " + pcap, "tcpdump -n -tttt -X -r " + pcap}) {
    INFO(producer);
    std::string dump = (dir.path() / "dump.txt").string();
    command_output(producer + " >'" + dump + "' 2>/dev/null");
    auto r = run_cli("decode --pairs " + dump + kIdl);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    check_two_pairs(r.out);
    if (producer.find("-tttt") != std::string::npos) {  // the date too
      CHECK(lines_of(r.out)[0]["time"] == "2023-11-14T22:13:20.000000Z");
    }
  }
}

TEST_CASE("decode reads a hex dump from stdin", "[decode][dump]") {
  ScratchDir dir;
  std::string hex = command_output("xxd -p " + make_capture(dir, "stream") + " | tr -d '\\n'");
  auto r = run_cli("decode --pairs" + kIdl + " <<< " + hex);
  CHECK(r.exit_code == 0);
  check_two_pairs(r.out);
}

TEST_CASE("decode --follow reads a capture file as it grows", "[decode][capture]") {
  ScratchDir dir;
  std::string whole = thrift_call::test::slurp(make_capture(dir, "ordered"));
  std::string growing = dir.write("growing.pcap", whole.substr(0, 300));  // the first call, and half a packet
  std::string out = (dir.path() / "follow.out").string();
  // Bounded by timeout: --follow reads until stopped.
  REQUIRE(std::system(("(timeout 4 '" THRIFT_CALL_BINARY "' decode --follow '" + growing + "' --idl '" + kSource +
                       "/examples/person.thrift' >'" + out + "' 2>&1 &)").c_str()) == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(count_lines(thrift_call::test::slurp(out)) == 1);
  std::ofstream(growing, std::ios::binary | std::ios::app) << whole.substr(300);
  std::string got;
  for (int i = 0; i < 40 && count_lines(got) < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    got = thrift_call::test::slurp(out);
  }
  CHECK(count_lines(got) == 4);
  CHECK(got.find("\"age\":20") != std::string::npos);
}

TEST_CASE("decode --stats gives count errors exceptions and latency percentiles per method", "[decode][capture]") {
  ScratchDir dir;
  auto r = run_cli("decode --stats " + make_capture(dir, "ordered") + kIdl);
  CHECK(r.exit_code == 0);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["method"] == "PersonService.getPerson");
  CHECK(lines[0]["count"] == 2);
  CHECK(lines[0]["errors"] == 0);
  CHECK(lines[0]["exceptions"] == 0);
  for (const char* p : {"p50", "p90", "p99", "p99.9", "max"}) {
    INFO(p);
    CHECK(lines[0]["latency_us"][p] == 999);
  }
}

TEST_CASE("decode without an IDL reads messages raw and --pretty prints one human line each", "[decode][capture]") {
  ScratchDir dir;
  std::string pcap = make_capture(dir, "ordered");
  auto r = run_cli("decode " + pcap, "", dir.path().string());  // a folder without IDL files
  INFO(r.err);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0]["method"] == "getPerson");
  CHECK(lines[0]["args"] == nlohmann::json::parse(R"({"1:string":"Ann"})"));
  r = run_cli("decode --pretty " + pcap + kIdl);
  CHECK(count_lines(r.out) == 4);
  CHECK(r.out.find("call PersonService.getPerson #1 {\"name\":\"Ann\"}") != std::string::npos);
  CHECK(r.out.find("\033[") == std::string::npos);  // no colour off a terminal
}

TEST_CASE("sniff on an interface that does not exist is one clear error line", "[sniff][bad-input]") {
  auto r = run_cli("sniff -i no-such-interface0 --port 9090");
  CHECK(r.exit_code == 3);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("cannot capture") != std::string::npos);
}

TEST_CASE("sniff without the capture capability says what it needs", "[sniff][bad-input]") {
  if (::geteuid() != 0) return;  // the test below checks this path when not root
  // As the nobody user, with no capabilities.
  std::string out = output_of("setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all '" THRIFT_CALL_BINARY
                              "' sniff -i lo --port 9 2>&1; echo \"exit $?\"");
  CHECK(out.find("thrift-call: cannot capture: permission denied: capturing needs root or the cap_net_raw capability") !=
        std::string::npos);
  CHECK(out.find("exit 3") != std::string::npos);
  CHECK(count_lines(out) == 2);
}

TEST_CASE("sniff decodes a live call on the loopback interface", "[integration][sniff]") {
  if (::geteuid() != 0) {
    // Not root: the error path is what can be checked.
    auto r = run_cli("sniff -i lo --port 9");
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("permission") != std::string::npos);
    return;
  }
  PythonServer server({});
  std::string port = server.endpoint().substr(server.endpoint().rfind(':') + 1);
  ScratchDir dir;
  std::string out = (dir.path() / "sniff.out").string(), err = (dir.path() / "sniff.err").string();
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::string command = std::string("exec '") + THRIFT_CALL_BINARY + "' sniff -i lo --port " + port +
                          " --count 2 --pairs --idl '" + kSource + "/examples/person.thrift' >'" + out + "' 2>'" + err +
                          "'";
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  bool listening = false;
  for (int i = 0; i < 100 && !listening; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    listening = thrift_call::test::slurp(err).find("listening on lo") != std::string::npos;
  }
  CHECK(listening);
  // Given the setting: auto's probe would be the first message sniffed.
  auto call = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' -p binary -t buffered",
                      "THRIFT_CALL_IDL=examples");
  CHECK(call.exit_code == 0);
  int status = 0;
  bool exited = false;
  for (int i = 0; i < 100 && !exited; ++i) {
    exited = waitpid(pid, &status, WNOHANG) == pid;
    if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!exited) {
    kill(pid, SIGINT);
    waitpid(pid, &status, 0);
  }
  CHECK(exited);
  auto lines = lines_of(thrift_call::test::slurp(out));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["method"] == "PersonService.getPerson");
  CHECK(lines[0]["reply"]["return"]["age"] == 30);
  CHECK(lines[0]["latency_us"].is_number());
}

TEST_CASE("a zlib stream that does not inflate is one warning with its place, and the rest of it is not read",
          "[integration][decode][zlib][bad-input]") {
  ScratchDir dir;
  std::string path = (dir.path() / "corrupt.zlib").string();
  { std::ofstream(path, std::ios::binary) << std::string("\x78\x9c", 2) << "this is no deflate data"; }
  auto r = run_cli("decode --messages '" + path + "'");
  CHECK(r.out.empty());
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("the zlib stream is corrupt: ") != std::string::npos);
  CHECK(r.err.find("of the compressed stream); the rest of this direction is not read") != std::string::npos);
}
