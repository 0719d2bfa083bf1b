// Flags shared by several verbs, and the verb table's signatures.
#pragma once

#include <CLI/CLI.hpp>

#include "core/idl_discovery.h"
#include "idl/schema.h"

namespace thrift_call::cli {

struct GlobalOptions {
  IdlOptions idl;
  bool quiet = false;
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

void add_list_command(CLI::App& app, GlobalOptions& global);
void add_describe_command(CLI::App& app, GlobalOptions& global);
void add_template_command(CLI::App& app, GlobalOptions& global);
void add_schema_command(CLI::App& app, GlobalOptions& global);
void add_encode_command(CLI::App& app, GlobalOptions& global);
// `exit_status` receives 0 or 1 (a declared exception); errors throw.
void add_call_command(CLI::App& app, GlobalOptions& global, int& exit_status);
void add_decode_command(CLI::App& app, GlobalOptions& global);
void add_serve_command(CLI::App& app, GlobalOptions& global);
void add_sniff_command(CLI::App& app, GlobalOptions& global);

}  // namespace thrift_call::cli
