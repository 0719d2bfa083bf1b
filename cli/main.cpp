// The verb table, and the one place errors become exit codes.
#include <cstdio>
#include <iostream>

#include "cli/options.h"
#include "core/transport/endpoint.h"
#include "idl/error.h"

#include <algorithm>
#include <string>
#include <vector>

namespace {

const char* kFooter = R"(Examples:
  thrift-call localhost:9090 PersonService.getPerson '{"name":"Ann"}'
  thrift-call list --idl examples/person.thrift
  thrift-call template PersonService.savePerson --idl examples/person.thrift
  thrift-call serve examples/person.thrift --listen 9090

Exit codes:
  0  success
  1  the server answered with a declared exception
  2  usage, IDL or JSON input error
  3  transport error (connect, TLS, timeout, HTTP status)
  4  protocol error (TApplicationException, undecodable reply)

Environment:
  THRIFT_CALL_IDL  colon-separated IDL files or folders, used when --idl is not given
  NO_COLOR         disables colour)";

}  // namespace

int main(int argc, char** argv) {
  using namespace thrift_call;
  cli::GlobalOptions global;
  CLI::App app{"thrift-call: call, inspect and decode Apache Thrift services from the shell", "thrift-call"};
  app.set_version_flag("--version", std::string("thrift-call ") + THRIFT_CALL_VERSION);
  app.add_flag("-q,--quiet", global.quiet, "no warnings on stderr");
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();

  int exit_status = 0;
  cli::add_call_command(app, global, exit_status);
  cli::add_list_command(app, global);
  cli::add_describe_command(app, global);
  cli::add_template_command(app, global);
  cli::add_schema_command(app, global);
  cli::add_encode_command(app, global);
  cli::add_decode_command(app, global);
  cli::add_serve_command(app, global);
  cli::add_sniff_command(app, global);

  // `call` is the default verb: `thrift-call HOST:PORT Service.method ...`.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && transport::looks_like_endpoint(args[0])) args.insert(args.begin(), "call");
  std::reverse(args.begin(), args.end());  // CLI11 takes them last-first

  // Not CLI11_PARSE: its handling would bypass ours and its exit codes.
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::cout << app.version() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "thrift-call: " << e.what() << " (see thrift-call --help)\n";
    return exit_code(ErrorKind::Usage);
  } catch (const Error& e) {
    std::fflush(stdout);
    std::cerr << "thrift-call: " << e.diagnostic() << "\n";
    return exit_code(e.kind());
  } catch (const std::exception& e) {
    std::cerr << "thrift-call: internal error: " << e.what() << "\n";
    return 70;
  }
  return exit_status;
}
