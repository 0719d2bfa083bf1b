#include "core/repl/engine.h"

#include <nlohmann/json.hpp>

#include "core/idl_views/describe.h"
#include "core/user_input/json_input.h"
#include "core/idl_views/json_template.h"
#include "core/repl/completion.h"
#include "core/repl/input.h"
#include "idl/closest_names.h"
#include "base/error.h"

namespace thrift_call::repl {

namespace {

const char* kHelp = R"(Calls:
  Service.method {json}      call a method; the JSON may span several lines
  method {json}              the same, once a service is chosen with .use
Commands:
  .help                      this text
  .list                      the services and their methods
  .describe NAME             a service, method or type, as IDL
  .template METHOD           a JSON skeleton of a method's arguments
  .use SERVICE               choose the service for bare method names
  .connect ENDPOINT          call another server (host:port, unix:/path, http://...,
                             or an alias of the config file)
  .set protocol|transport|timeout|multiplex VALUE
                             binary|compact|json|auto, buffered|framed|header|framed+header|zlib|auto,
                             seconds, on|off|NAME
  .header NAME VALUE         send a header (HTTP, THeader) with every call
  .load FILE.thrift          read one more IDL file
  .send METHOD @file.json    call with the arguments in a file
  .verbose on|off            show the connection and the bytes on stderr
  .quit                      leave (Ctrl-D too)
Tab completes commands, services, methods, and field names and enum values
inside the JSON. Ctrl-C cancels a running call.)";

bool parse_on_off(const std::string& value, const char* command) {
  if (value == "on") return true;
  if (value == "off") return false;
  throw Error(ErrorKind::Usage, std::string("expected on or off, got \"") + value + "\"", command);
}

}  // namespace

Engine::Engine(CallSettings settings, IdlOptions idl, Config config, PrintStyle style, bool quiet, FILE* out,
               FILE* err)
    : settings_(std::move(settings)),
      idl_(std::move(idl)),
      config_(std::move(config)),
      style_(style),
      quiet_(quiet),
      out_(out),
      err_(err) {
  if (!settings_.endpoint.empty()) transport::parse_endpoint(settings_.endpoint);  // a bad one fails at start
  // Without any IDL, calls go out in raw notation.
  if (!discover_idl_files(idl_).files.empty()) load_schema();
}

Engine::~Engine() = default;

void Engine::load_schema() {
  idl::Schema schema = load_idl(idl_);
  if (!quiet_)
    for (const auto& w : schema.warnings()) std::fprintf(err_, "thrift-call: %s\n", w.to_string().c_str());
  schema_ = std::move(schema);
}

void Engine::say(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), out_);
  if (text.empty() || text.back() != '\n') std::fputc('\n', out_);
  std::fflush(out_);
}

std::string Engine::prompt() const {
  std::string p = settings_.endpoint.empty() ? "(no endpoint)" : settings_.endpoint;
  if (!service_.empty()) p += " " + service_;
  return p + "> ";
}

int Engine::run(const std::string& text) {
  Entry entry = parse_entry(text);
  try {
    switch (entry.kind) {
      case Entry::Kind::Empty: return 0;
      case Entry::Kind::Command: return command(entry.name, entry.words, entry.rest);
      case Entry::Kind::Call: return call(entry.name, entry.json);
    }
  } catch (const Error& e) {
    if (style_.envelope && entry.kind == Entry::Kind::Call) std::fprintf(out_, "%s\n", error_envelope(e).c_str());
    std::fflush(out_);
    std::fprintf(err_, "thrift-call: %s\n", e.diagnostic().c_str());
    std::fflush(err_);
    return exit_code(e.kind());
  }
  return 0;
}

const idl::Function* Engine::function_for(const std::string& name) const {
  if (!schema_) return nullptr;
  const idl::Function* fn = resolve_method(*schema_, service_, name);
  if (fn) return fn;
  if (name.find('.') == std::string::npos && service_.empty())
    throw Error(ErrorKind::Usage, "no service chosen for \"" + name + "\": write Service." + name + " or .use SERVICE");
  std::string service = name.find('.') == std::string::npos ? service_ : name.substr(0, name.rfind('.'));
  const idl::Service* s = schema_->find_service(service);
  if (!s)
    throw Error(ErrorKind::Usage,
                "no service \"" + service + "\" in the IDL" + idl::did_you_mean(schema_->service_names(), service),
                "try .list");
  std::string method = name.substr(name.rfind('.') + 1);
  throw Error(ErrorKind::Usage, "service " + service + " has no method \"" + method + "\"" +
                                    idl::did_you_mean_or_list(s->function_names(), method, "methods"));
}

int Engine::call(const std::string& target, const std::string& json_text) {
  if (settings_.endpoint.empty()) throw Error(ErrorKind::Usage, "no endpoint to call: .connect HOST:PORT first");
  std::string service, method;
  size_t dot = target.rfind('.');
  if (dot == std::string::npos) {
    if (service_.empty())
      throw Error(ErrorKind::Usage, "no service chosen for \"" + target + "\": write Service." + target + " or .use SERVICE");
    service = service_;
    method = target;
  } else {
    service = target.substr(0, dot);
    method = target.substr(dot + 1);
  }
  const idl::Function* fn = function_for(service + "." + method);
  codec::Json args = parse_json_argument(json_text, target);
  // The multiplexed name is the service's: a call to another service needs
  // a session of its own.
  // A multiplexed name that is the service's own (given as --multiplex, or
  // found by auto) must follow the service: a new session for another one.
  bool fixed_name = settings_.multiplex && !settings_.multiplex->empty();
  if (session_ && session_service_ != service && !fixed_name && !session_->multiplex().empty()) drop_session();
  if (!session_) {
    CallOptions options = make_call_options(settings_, service);
    options.reconnect_if_closed = true;
    session_ = std::make_unique<CallSession>(std::move(options));
    session_service_ = service;
  }
  CallOutcome outcome = fn ? session_->call(*fn, args) : session_->call_raw(method, false, args);
  PrintedOutcome printed = print_outcome(std::move(outcome), style_, settings_.endpoint);
  say(printed.text);
  return printed.exit_code;
}

int Engine::command(const std::string& name, const std::vector<std::string>& words, const std::string& rest) {
  auto need_schema = [&]() -> const idl::Schema& {
    if (!schema_) throw Error(ErrorKind::Usage, "no IDL loaded: .load FILE.thrift (or start with --idl)", name);
    return *schema_;
  };
  auto need_words = [&](size_t n, const char* usage) {
    if (words.size() != n) throw Error(ErrorKind::Usage, std::string("usage: ") + usage, name);
  };
  if (name == ".help") {
    say(kHelp);
  } else if (name == ".quit" || name == ".exit") {
    quit_ = true;
  } else if (name == ".list") {
    const idl::Schema& schema = need_schema();
    std::string out;
    for (const auto& program : schema.programs())
      for (const auto& service : program->services)
        for (const idl::Function* fn : service->all_functions()) out += service->name + "." + fn->name + "\n";
    if (!out.empty()) say(out);
  } else if (name == ".describe") {
    need_words(1, ".describe NAME");
    const idl::Schema& schema = need_schema();
    std::string target = words[0];
    // A bare method of the chosen service.
    if (!service_.empty() && resolve_method(schema, service_, target) && target.find('.') == std::string::npos)
      target = service_ + "." + target;
    say(describe(schema, target));
  } else if (name == ".template") {
    need_words(1, ".template METHOD");
    need_schema();
    const idl::Function* fn = function_for(words[0]);
    say(make_template(fn->args).dump(2));
  } else if (name == ".use") {
    need_words(1, ".use SERVICE");
    if (schema_ && !schema_->find_service(words[0]))
      throw Error(ErrorKind::Usage,
                  "no service \"" + words[0] + "\" in the IDL" + idl::did_you_mean(schema_->service_names(), words[0]),
                  "try .list");
    service_ = words[0];
  } else if (name == ".connect") {
    need_words(1, ".connect ENDPOINT");
    std::string endpoint = resolve_alias(config_, words[0]);
    transport::parse_endpoint(endpoint);
    settings_.endpoint = endpoint;
    drop_session();
  } else if (name == ".set") {
    need_words(2, ".set protocol|transport|timeout|multiplex VALUE");
    set(words[0], words[1]);
  } else if (name == ".header") {
    if (words.size() < 2) throw Error(ErrorKind::Usage, "usage: .header NAME VALUE", name);
    std::string value = rest.substr(rest.find(words[0]) + words[0].size());
    value.erase(0, value.find_first_not_of(" \t"));
    settings_.headers.push_back(words[0] + ": " + value);
    drop_session();
  } else if (name == ".load") {
    need_words(1, ".load FILE.thrift");
    std::vector<std::string> before = idl_.files;
    // Once a file is named, discovery stops looking at the folder: keep what was found.
    if (idl_.files.empty()) idl_.files = discover_idl_files(idl_).files;
    idl_.files.push_back(words[0]);
    try {
      load_schema();
    } catch (...) {
      idl_.files = before;
      throw;
    }
  } else if (name == ".send") {
    need_words(2, ".send METHOD @file.json");
    if (words[1].empty() || words[1][0] != '@')
      throw Error(ErrorKind::Usage, "the arguments come from a file: @file.json, got \"" + words[1] + "\"", name);
    return call(words[0], read_argument_text(words[1]));
  } else if (name == ".verbose") {
    need_words(1, ".verbose on|off");
    settings_.verbose = parse_on_off(words[0], ".verbose");
    drop_session();
  } else {
    std::vector<std::string> commands;
    for (const std::string& command : command_names()) commands.push_back("." + command);
    throw Error(ErrorKind::Usage, "unknown command \"" + name + "\"" + idl::did_you_mean(commands, name), "try .help");
  }
  return 0;
}

void Engine::set(const std::string& setting, const std::string& value) {
  if (setting == "protocol") {
    if (value != "auto" && !codec::parse_protocol_kind(value))
      throw Error(ErrorKind::Usage, "protocol is binary, compact, json or auto, got \"" + value + "\"", ".set");
    settings_.protocol = value;
  } else if (setting == "transport") {
    if (value != "auto" && !transport::parse_framing(value))
      throw Error(ErrorKind::Usage,
                  "transport is buffered, framed, header, framed+header, zlib or auto, got \"" + value + "\"", ".set");
    settings_.transport = value;
  } else if (setting == "timeout") {
    double seconds = 0;
    try {
      size_t used = 0;
      seconds = std::stod(value, &used);
      if (used != value.size()) seconds = -1;
    } catch (...) {
      seconds = -1;
    }
    if (!(seconds > 0 && seconds <= kMaxTimeoutSeconds))
      throw Error(ErrorKind::Usage, "timeout is a number of seconds above 0 and at most 86400, got \"" + value + "\"", ".set");
    settings_.timeout_s = seconds;
  } else if (setting == "multiplex") {
    if (value == "off") settings_.multiplex.reset();
    else if (value == "on") settings_.multiplex = "";
    else settings_.multiplex = value;
  } else {
    throw Error(ErrorKind::Usage, "no setting \"" + setting + "\" (protocol, transport, timeout, multiplex)", ".set");
  }
  drop_session();
}

}  // namespace thrift_call::repl
