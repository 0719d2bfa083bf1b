// The user's defaults: $XDG_CONFIG_HOME/thrift-call/config.json (default
// ~/.config/thrift-call/config.json). Flags override it; THRIFT_CALL_IDL
// overrides its "idl".
//
//   {
//     "idl": ["~/src/api/thrift", "extra.thrift"],   files or folders
//     "include_dirs": ["~/src/api/include"],
//     "headers": ["Authorization: Bearer xyz"],      sent like -H
//     "aliases": {"prod": "https://api.example.com/thrift"}
//   }
#pragma once

#include <map>
#include <string>
#include <vector>

namespace thrift_call {

struct Config {
  std::vector<std::string> idl;  // folders expanded to their *.thrift files
  std::vector<std::string> include_dirs;
  std::vector<std::string> headers;             // "Name: value"
  std::map<std::string, std::string> aliases;  // name -> endpoint
};

// Where the config file is looked for.
std::string config_path();

// The config file's settings; none when it does not exist. A file that is
// not the JSON above throws Error (Input) located "path:line:col".
Config load_config();
Config parse_config(const std::string& text, const std::string& path);

// The endpoint an alias names, or `text` itself.
std::string resolve_alias(const Config& config, const std::string& text);

// The config's headers a flag's header of the same name does not replace,
// after the flags' own.
std::vector<std::string> merge_headers(const std::vector<std::string>& flags, const Config& config);

}  // namespace thrift_call
