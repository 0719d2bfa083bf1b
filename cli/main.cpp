// The verb table, and the one place errors become exit codes.
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <iostream>
#include <new>

#include "cli/options.h"
#include "core/transport/endpoint.h"
#include "idl/closest_names.h"
#include "base/error.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

const char* kFooter = R"(Examples:
  thrift-call localhost:9090 PersonService.getPerson '{"name":"Ann"}'
  thrift-call list --idl examples/person.thrift
  thrift-call template PersonService.savePerson --idl examples/person.thrift
  thrift-call serve examples/person.thrift --listen 9090
  thrift-call completion bash
  thrift-call help call

thrift-call help VERB is thrift-call VERB --help.
ENDPOINT: host:port, [::1]:9090, unix:/path, http://host:port/path or https://host:port/path

Exit codes:
  0  success
  1  the server answered with a declared exception
  2  usage, IDL or JSON input error
  3  transport error (connect, TLS, timeout, HTTP status)
  4  protocol error (TApplicationException, undecodable reply)
  70 internal error (a bug in thrift-call, or out of memory)

Environment:
  THRIFT_CALL_IDL  colon-separated IDL files or folders, used when --idl is not given
  NO_COLOR         disables colour
  XDG_CONFIG_HOME  where thrift-call/config.json is read (default ~/.config): defaults
                   for idl, include_dirs, headers and endpoint aliases; flags override it
  XDG_CACHE_HOME   where thrift-call/endpoints.json remembers what each endpoint speaks
                   (default ~/.cache)
  XDG_STATE_HOME   where thrift-call/repl_history is kept (default ~/.local/state))";

// The first word at or after `from` that is neither an option nor an
// option's value (`-p compact`, `--timeout 5`; `--multiplex` may go without
// one). `command` knows which of its options take a value.
size_t skip_options(const CLI::App& command, const std::vector<std::string>& args, size_t from) {
  size_t i = from;
  while (i < args.size() && args[i].size() > 1 && args[i][0] == '-') {
    const std::string& word = args[i++];
    if (word.find('=') != std::string::npos) continue;
    const CLI::Option* option = command.get_option_no_throw(word);
    if (option && option->get_items_expected_min() > 0) ++i;
  }
  return i;
}

// Whether `word` reads as Service.method (a file name, "person.thrift", does not).
bool looks_like_method(const std::string& word) {
  size_t dot = word.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == word.size()) return false;
  bool name = std::all_of(word.begin(), word.end(),
                          [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; });
  std::string ext = word.substr(dot + 1);
  return name && ext != "thrift" && ext != "json" && ext != "pem";
}

// Whether the first word after the endpoint (args[0]) that is not an option
// reads as Service.method.
bool names_a_method(const CLI::App& command, const std::vector<std::string>& args) {
  size_t at = skip_options(command, args, 1);
  return at < args.size() && looks_like_method(args[at]);
}

// The error for a first word (args[at]) that is neither a verb nor an
// ENDPOINT, naming what a new user most likely meant: the endpoint and the
// method swapped, a verb mistyped, or an endpoint that is not quite one
// (parse_endpoint says what is wrong with it and shows the forms).
thrift_call::Error unknown_first_word(const CLI::App& call_command, const std::vector<std::string>& args, size_t at,
                                      const std::vector<std::string>& verbs) {
  using thrift_call::Error;
  using thrift_call::ErrorKind;
  const std::string& word = args[at];
  size_t next = skip_options(call_command, args, at + 1);
  if (looks_like_method(word) && next < args.size() && thrift_call::transport::looks_like_endpoint(args[next]))
    return Error(ErrorKind::Usage, "the ENDPOINT goes before the method: thrift-call " + args[next] + " " + word,
                 std::string(thrift_call::transport::kEndpointForms));
  bool endpoint_like = word.find_first_of(":/[") != std::string::npos ||
                       (next < args.size() && looks_like_method(args[next]));
  if (!endpoint_like) {
    std::string hint = thrift_call::idl::did_you_mean(verbs, word);
    if (!hint.empty()) return Error(ErrorKind::Usage, "no verb \"" + word + "\"" + hint, "see thrift-call --help");
  }
  try {
    thrift_call::transport::parse_endpoint(word);
  } catch (const Error& e) {
    return e;
  }
  return Error(ErrorKind::Usage, "\"" + word + "\" is neither a verb nor an ENDPOINT", "see thrift-call --help");
}

// "--protcol" is not an option of `command`: the nearest ones it has.
std::string option_hint(const CLI::App& command, const std::string& word) {
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
  return thrift_call::idl::did_you_mean(names, word);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace thrift_call;
  cli::GlobalOptions global;
  CLI::App app{"thrift-call: call, inspect and decode Apache Thrift services from the shell", "thrift-call"};
  app.set_version_flag("--version", std::string("thrift-call ") + THRIFT_CALL_VERSION);
  app.add_flag("-q,--quiet", global.quiet, "no warnings on stderr");
  app.set_help_all_flag("--help-all", "Print the help of every verb and exit");
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();

  int exit_status = 0;
  // The verb table. Declaring every verb's options is 2 million
  // instructions, twice what a whole call takes (callgrind), so a command
  // line that names its verb declares only that one; help, completion and
  // errors see them all.
  const std::pair<std::string_view, std::function<void()>> verbs[] = {
      {"call", [&] { cli::add_call_command(app, global, exit_status); }},
      {"list", [&] { cli::add_list_command(app, global); }},
      {"describe", [&] { cli::add_describe_command(app, global); }},
      {"template", [&] { cli::add_template_command(app, global); }},
      {"schema", [&] { cli::add_schema_command(app, global); }},
      {"encode", [&] { cli::add_encode_command(app, global); }},
      {"decode", [&] { cli::add_decode_command(app, global); }},
      {"serve", [&] { cli::add_serve_command(app, global); }},
      {"repl", [&] { cli::add_repl_command(app, global, exit_status); }},
      {"sniff", [&] { cli::add_sniff_command(app, global); }},
      {"completion", [&] { cli::add_completion_command(app); }},
  };
  bool declared[std::size(verbs)] = {};
  auto verb_index = [&](std::string_view name) {
    return static_cast<size_t>(std::find_if(std::begin(verbs), std::end(verbs),
                                            [&](const auto& verb) { return verb.first == name; }) -
                               std::begin(verbs));
  };
  auto declare = [&](size_t i) {
    if (!declared[i]) verbs[i].second();
    declared[i] = true;
  };
  auto declare_all = [&] {
    for (size_t i = 0; i < std::size(verbs); ++i) declare(i);
  };

  // The config file's defaults are set before parsing, so that flags given
  // replace them; THRIFT_CALL_IDL replaces its "idl".
  std::optional<Error> config_error;
  try {
    global.config = load_config();
  } catch (const Error& e) {
    config_error = e;
  }

  // Shell completion asks on every TAB: answered before parsing, loading
  // only the IDL the command line names (cli/complete.cpp).
  if (argc >= 2 && std::string_view(argv[1]) == "__complete") {
    declare_all();
    return cli::run_complete(app, global.config, {argv + 2, argv + argc});
  }

  if (config_error) {
    std::cerr << "thrift-call: " << config_error->diagnostic() << "\n";
    return exit_code(config_error->kind());
  }
  const char* idl_env = std::getenv("THRIFT_CALL_IDL");
  if (!idl_env || !*idl_env) global.idl.files = global.config.idl;
  global.idl.include_dirs = global.config.include_dirs;

  // `call` is the default verb: `thrift-call HOST:PORT Service.method ...`.
  // With no method and a terminal on stdin, it is the REPL's.
  std::vector<std::string> args(argv + 1, argv + argc);
  size_t first_word = 0;
  while (first_word < args.size() && (args[first_word] == "-q" || args[first_word] == "--quiet")) ++first_word;
  std::vector<std::string> verb_names;
  for (const auto& verb : verbs) verb_names.emplace_back(verb.first);
  auto fail = [](const Error& e) {
    std::cerr << "thrift-call: " << e.diagnostic() << "\n";
    return exit_code(e.kind());
  };
  // `thrift-call help [VERB]` is `thrift-call [VERB] --help`.
  if (first_word < args.size() && args[first_word] == "help") {
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(first_word));
    if (first_word < args.size() && verb_index(args[first_word]) == std::size(verbs))
      return fail(Error(ErrorKind::Usage,
                        "no verb \"" + args[first_word] + "\"" + idl::did_you_mean(verb_names, args[first_word]),
                        "thrift-call help VERB"));
    args.resize(std::min(args.size(), first_word + 1));
    args.push_back("--help");
  }
  size_t named_verb = first_word < args.size() ? verb_index(args[first_word]) : std::size(verbs);
  if (named_verb < std::size(verbs)) {
    declare(named_verb);
  } else {
    // The call's options may come before the endpoint too, as with curl.
    // Its options tell their values from the endpoint; they then go after
    // the arguments, where they mean the same (and `--multiplex` cannot
    // take the endpoint for its NAME).
    size_t call = verb_index("call");
    declare(call);
    const CLI::App& call_command = *app.get_subcommand(std::string(verbs[call].first));
    size_t at = skip_options(call_command, args, 0);
    if (at < args.size() && (transport::looks_like_endpoint(args[at]) || global.config.aliases.count(args[at]))) {
      std::rotate(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(at), args.end());
      bool repl = isatty(STDIN_FILENO) && !names_a_method(call_command, args);
      if (repl) declare(verb_index("repl"));
      args.insert(args.begin(), repl ? "repl" : "call");
    } else if (at < args.size()) {
      return fail(unknown_first_word(call_command, args, at, verb_names));
    } else {
      declare_all();  // help, or an error that lists the verbs
    }
  }
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
  } catch (const CLI::ExtrasError& e) {
    // An unknown option, said in one line with the nearest the verb has.
    // An unknown option falls through to the top level, which reports it.
    std::vector<CLI::App*> verb = app.get_subcommands();
    for (const std::string& extra : app.remaining(true)) {
      if (verb.empty() || extra.size() < 2 || extra[0] != '-') continue;
      const CLI::App& command = *verb.front();
      return fail(Error(ErrorKind::Usage,
                        command.get_name() + " has no option \"" + extra + "\"" + option_hint(command, extra),
                        "see thrift-call " + command.get_name() + " --help"));
    }
    std::cerr << "thrift-call: " << e.what() << " (see thrift-call --help)\n";
    return exit_code(ErrorKind::Usage);
  } catch (const CLI::ParseError& e) {
    std::cerr << "thrift-call: " << e.what() << " (see thrift-call --help)\n";
    return exit_code(ErrorKind::Usage);
  } catch (const Error& e) {
    std::fflush(stdout);
    std::cerr << "thrift-call: " << e.diagnostic() << "\n";
    return exit_code(e.kind());
  } catch (const std::bad_alloc&) {
    // Every size a peer or a file claims is bounded before it is allocated;
    // this is a machine short of memory (or a limit set below what they need).
    std::cerr << "thrift-call: internal error: out of memory\n";
    return kInternalErrorExit;
  } catch (const std::exception& e) {
    std::cerr << "thrift-call: internal error: " << e.what() << "\n";
    return kInternalErrorExit;
  }
  return exit_status;
}
