#include "cli/options.h"

#include <cstdio>
#include <iostream>

#include "idl/closest_names.h"
#include "base/error.h"

namespace thrift_call::cli {

void add_idl_options(CLI::App& command, GlobalOptions& global) {
  command.add_option("--idl", global.idl.files, "IDL file to read (repeatable); default: $THRIFT_CALL_IDL, else ./*.thrift")
      ->type_name("FILE")
      ->allow_extra_args(false);
  command.add_option("-I,--include-dir", global.idl.include_dirs, "folder searched for includes (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false);
}

idl::Schema load_schema_for(const GlobalOptions& global, std::optional<std::string_view> service) {
  idl::Schema schema = load_idl(global.idl, service);
  if (!global.quiet) {
    for (const auto& w : schema.warnings()) std::cerr << "thrift-call: " << w.to_string() << "\n";
  }
  return schema;
}

const idl::Type* find_type_or_raw(const GlobalOptions& global, const std::string& name, idl::Schema& holder) {
  if (name == "raw") return nullptr;
  holder = load_schema_for(global);
  const idl::Type* type = holder.find_type(name);
  if (!type)
    throw Error(ErrorKind::Usage, "no type named \"" + name + "\" in the IDL" + idl::did_you_mean(holder.type_names(), name),
                "try `thrift-call list --types`");
  return type;
}

std::string_view service_part(std::string_view name) {
  size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(0, dot);
}

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (text.empty() || text.back() != '\n') std::fputc('\n', stdout);
}

void add_i64_as_string_flag(CLI::App& command, bool& i64_as_string) {
  command.add_flag("--i64-as-string", i64_as_string,
                   "print i64 values as JSON strings (\"9007199254740993\"), for jq and JavaScript, which round "
                   "integers past 2^53");
}

void add_connection_options(CLI::App& command, CallSettings& settings) {
  command.add_option("-p,--protocol", settings.protocol, "binary, compact, json, or auto (find what the server speaks)")
      ->check(CLI::IsMember({"binary", "compact", "json", "auto"}))
      ->capture_default_str();
  command
      .add_option("-t,--transport", settings.transport,
                  "buffered, framed, header (THeader), framed+header (THeader frames inside frames), "
                  "zlib (a zlib stream, TZlibTransport), or auto")
      ->check(CLI::IsMember({"buffered", "framed", "header", "framed+header", "zlib", "auto"}))
      ->capture_default_str();
  command.add_option("--multiplex", settings.multiplex,
                     "call through TMultiplexedProtocol, as NAME (default: the service's name)")
      ->expected(0, 1)
      ->default_str("");
  command.add_option("--timeout", settings.timeout_s,
                     "seconds a call may take in all (connect, probing, sending, the whole reply)")
      ->capture_default_str();
  command.add_option("--max-message", settings.max_message, "largest reply accepted, in bytes (an HTTP body too)")
      ->type_name("BYTES")
      ->check(CLI::Range(size_t{1}, kMaxMessageBytes))
      ->capture_default_str();
  command.add_option("--connect-timeout", settings.connect_timeout_s, "seconds to wait for the connection")
      ->capture_default_str();
  command.add_option("--detect-timeout", settings.detect_timeout_s,
                     "seconds a probe (auto, or a first call in a setting not yet seen to work) waits for the first "
                     "byte of an answer before another setting is tried")
      ->capture_default_str();
  command.add_flag("-v,--verbose", settings.verbose, "show the connection and the bytes on stderr");
  command.add_option("-H,--header", settings.headers, "'Name: value' sent with HTTP requests and THeader frames (repeatable)")
      ->allow_extra_args(false);
  command.add_flag("--zlib", settings.zlib, "compress THeader payloads with zlib (--transport header)");
  // The TLS options need --tls or an https:// endpoint, which may come from
  // an alias: checked with the endpoint (make_call_options).
  command.add_flag("--tls", settings.tls.enabled, "TLS over TCP (https:// endpoints always use it)");
  command.add_option("--cacert", settings.tls.cacert, "verify the server against this CA file")
      ->type_name(value_name::kFile);
  command.add_option("--cert", settings.tls.cert, "client certificate (PEM)")->type_name(value_name::kFile);
  command.add_option("--key", settings.tls.key, "client key (PEM; default: in --cert)")->type_name(value_name::kFile);
  command.add_flag("--insecure", settings.tls.insecure, "do not verify the server's certificate");
  command.add_option("--servername", settings.tls.servername, "name to send (SNI) and verify; default: the host");
}

}  // namespace thrift_call::cli
