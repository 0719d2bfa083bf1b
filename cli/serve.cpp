// thrift-call serve IDL... : a mock server for every service of the IDLs.
#include <cstdio>
#include <memory>

#include "cli/options.h"
#include "core/serve/dispatcher.h"
#include "core/serve/recorder.h"
#include "core/serve/responses.h"
#include "core/serve/server.h"
#include "idl/closest_names.h"
#include "base/error.h"

namespace thrift_call::cli {

namespace {
struct ServeFlags {
  std::vector<std::string> idl_files;
  std::vector<std::string> services;
  std::string listen = "localhost:9090";
  std::string responses;
  bool echo = false;
  std::string record = "-";
  bool no_record = false;
  std::string protocol = "auto";
  std::string transport = "auto";
  std::string cert, key;
  bool tls = false;
  size_t max_conns = 1024;
  size_t max_message = size_t{16} << 20;
  double idle_timeout = 60;
};

std::vector<const idl::Service*> served_services(const idl::Schema& schema, const std::vector<std::string>& names) {
  std::vector<const idl::Service*> out;
  if (names.empty()) {
    for (const idl::Program* program : schema.roots())
      for (const auto& service : program->services) out.push_back(service.get());
    if (out.empty()) throw Error(ErrorKind::Idl, "the IDL declares no service to serve");
    return out;
  }
  for (const auto& name : names) {
    const idl::Service* service = schema.find_service(name);
    if (!service)
      throw Error(ErrorKind::Usage,
                  "no service named \"" + name + "\" in the IDL" + idl::did_you_mean(schema.service_names(), name),
                  "--service");
    out.push_back(service);
  }
  return out;
}
}  // namespace

void add_serve_command(CLI::App& app, GlobalOptions& global) {
  auto* command = app.add_subcommand("serve", "Serve every service of the IDLs as a mock server");
  auto flags = std::make_shared<ServeFlags>();
  command->add_option("IDL", flags->idl_files, "IDL files to serve (default: as for calls: $THRIFT_CALL_IDL, ./*.thrift)");
  command->add_option("-l,--listen", flags->listen, "[HOST:]PORT (PORT alone: localhost) or unix:/path")
      ->capture_default_str();
  command->add_option("--service", flags->services, "serve only this service (repeatable)")
      ->type_name(value_name::kService)
      ->allow_extra_args(false);
  command->add_option("--responses", flags->responses, "what each method answers: a JSON file (see README)")
      ->type_name("FILE");
  command->add_flag("--echo", flags->echo, "without a rule, answer with the argument whose type is the return type");
  command->add_option("--record", flags->record, "write each request and reply as an NDJSON line to FILE (- stderr)")
      ->type_name("FILE")
      ->capture_default_str();
  command->add_flag("--no-record", flags->no_record, "no recording");
  command->add_option("-p,--protocol", flags->protocol, "binary, compact, json, or auto (whatever each client speaks)")
      ->check(CLI::IsMember({"binary", "compact", "json", "auto"}))
      ->capture_default_str();
  command->add_option("-t,--transport", flags->transport, "buffered, framed, header, http, zlib, or auto")
      ->check(CLI::IsMember({"buffered", "framed", "header", "http", "zlib", "auto"}))
      ->capture_default_str();
  command->add_option("--cert", flags->cert, "TLS certificate (PEM): clients may then speak TLS")->type_name("FILE");
  command->add_option("--key", flags->key, "the certificate's private key (PEM)")->type_name("FILE");
  command->add_flag("--tls", flags->tls, "every client must speak TLS (needs --cert and --key)");
  command->add_option("--max-conns", flags->max_conns, "connections served at once; more are closed at once")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20))
      ->capture_default_str();
  command->add_option("--max-message", flags->max_message, "largest frame or message accepted, in bytes")
      ->check(CLI::Range(size_t{64}, size_t{1} << 30))
      ->capture_default_str();
  command->add_option("--idle-timeout", flags->idle_timeout, "seconds an idle connection stays open")
      ->check(CLI::Range(0.01, 86400.0))
      ->capture_default_str();
  command->add_option("--idl", flags->idl_files, "an IDL file to serve (repeatable), as the positionals")
      ->type_name("FILE")
      ->allow_extra_args(false);
  command->add_option("-I,--include-dir", global.idl.include_dirs, "folder searched for includes (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false);
  command->footer(
      "Prints \"listening on PORT\" (or the socket path) on stdout once it accepts; SIGINT or SIGTERM stop it.\n"
      "Examples:\n"
      "  thrift-call serve examples/person.thrift --listen 9090\n"
      "  thrift-call serve examples/*.thrift --listen 0 --responses examples/person.responses.json\n"
      "  thrift-call serve examples/calculator.thrift --transport http --record calls.ndjson --listen 9090");
  command->callback([&global, flags] {
    if (flags->tls && (flags->cert.empty() || flags->key.empty()))
      throw Error(ErrorKind::Usage, "--tls needs --cert and --key", "serve");
    if (flags->cert.empty() != flags->key.empty())
      throw Error(ErrorKind::Usage, "--cert and --key go together", "serve");
    if (!flags->idl_files.empty()) global.idl.files = flags->idl_files;  // replacing the config file's
    idl::Schema schema = load_schema_for(global);
    std::vector<const idl::Service*> services = served_services(schema, flags->services);
    serve::Responses responses;
    if (!flags->responses.empty()) responses = serve::Responses::load(flags->responses, schema);

    std::unique_ptr<serve::Recorder> recorder;
    if (!flags->no_record) recorder = std::make_unique<serve::Recorder>(flags->record);
    serve::DispatchOptions dispatch;
    dispatch.echo = flags->echo;
    dispatch.record = recorder != nullptr;
    serve::Dispatcher dispatcher(services, std::move(responses), dispatch);

    serve::ServerOptions options;
    options.listen = flags->listen;
    options.protocol = codec::parse_protocol_kind(flags->protocol);
    options.transport = *serve::parse_serve_transport(flags->transport);
    options.max_connections = flags->max_conns;
    options.max_message_bytes = flags->max_message;
    options.idle_timeout = std::chrono::milliseconds(static_cast<int64_t>(flags->idle_timeout * 1000));
    options.tls_cert = flags->cert;
    options.tls_key = flags->key;
    options.tls_only = flags->tls;
    serve::run_server(dispatcher, recorder.get(), options, [](const std::string& address) {
      std::printf("listening on %s\n", address.c_str());
      std::fflush(stdout);
    });
  });
}

}  // namespace thrift_call::cli
