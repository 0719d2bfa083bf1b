// Flags shared by several verbs, and the verb table's signatures.
#pragma once

#include <CLI/CLI.hpp>

#include "core/call/settings.h"
#include "core/user_input/config.h"
#include "core/user_input/idl_discovery.h"
#include "idl/schema.h"

namespace thrift_call::cli {

// What an option's value is (its CLI11 type_name, or a positional's name):
// shell completion offers files, folders or IDL names from it, so a verb
// gets completion by naming its values with these.
namespace value_name {
inline constexpr const char* kFile = "FILE";          // any file
inline constexpr const char* kIdl = "IDL";            // a .thrift file
inline constexpr const char* kDir = "DIR";            // a folder
inline constexpr const char* kEndpoint = "ENDPOINT";  // host:port, unix:/path, http://...
inline constexpr const char* kMethod = "METHOD";      // Service.method from the IDL
inline constexpr const char* kType = "TYPE";          // a type of the IDL (or raw)
inline constexpr const char* kService = "SERVICE";    // a service of the IDL
inline constexpr const char* kName = "NAME";          // anything describe/template accept
}  // namespace value_name

struct GlobalOptions {
  IdlOptions idl;
  bool quiet = false;
  Config config;  // the config file's defaults (core/user_input/config.h)
};

// --idl FILE (repeatable) and -I DIR (repeatable).
void add_idl_options(CLI::App& command, GlobalOptions& global);

// Loads the IDL for a verb and prints its warnings on stderr unless --quiet.
idl::Schema load_schema_for(const GlobalOptions& global, std::optional<std::string_view> service = std::nullopt);

// "Service" of "Service.method" (or of "Service"): the hint IDL discovery
// uses to pick the file.
std::string_view service_part(std::string_view name);

// The IDL type named by encode/decode's TYPE, loaded into `holder`; nullptr
// for "raw" (raw notation, no IDL needed).
const idl::Type* find_type_or_raw(const GlobalOptions& global, const std::string& name, idl::Schema& holder);

// Writes `text` to stdout, adding a final newline when missing.
void print(const std::string& text);

// The flags that say where and how calls go, shared by `call` and `repl`:
// -p, -t, --multiplex, --timeout, --connect-timeout, -v, -H, --zlib and TLS.
void add_connection_options(CLI::App& command, CallSettings& settings);

// --i64-as-string (call, repl, decode, sniff): i64 values printed as JSON strings.
void add_i64_as_string_flag(CLI::App& command, bool& i64_as_string);

void add_list_command(CLI::App& app, GlobalOptions& global);
void add_describe_command(CLI::App& app, GlobalOptions& global);
void add_template_command(CLI::App& app, GlobalOptions& global);
void add_schema_command(CLI::App& app, GlobalOptions& global);
void add_encode_command(CLI::App& app, GlobalOptions& global);
// `exit_status` receives 0 or 1 (a declared exception); errors throw.
void add_call_command(CLI::App& app, GlobalOptions& global, int& exit_status);
void add_decode_command(CLI::App& app, GlobalOptions& global);
void add_serve_command(CLI::App& app, GlobalOptions& global);
// thrift-call completion bash|zsh|fish: prints the script of completions/.
void add_completion_command(CLI::App& app);

// The hidden `thrift-call __complete WORD... CURRENT` the completion scripts
// run: a first line ":files", ":dirs" or ":words", then the candidates for
// CURRENT, one a line. Walks `app`'s verbs and options, so new ones complete
// without change; reads only the IDL the command line would use.
int run_complete(const CLI::App& app, const Config& config, const std::vector<std::string>& words);

// `exit_status` receives the worst outcome of the calls (script mode).
void add_repl_command(CLI::App& app, GlobalOptions& global, int& exit_status);

void add_sniff_command(CLI::App& app, GlobalOptions& global);

}  // namespace thrift_call::cli
