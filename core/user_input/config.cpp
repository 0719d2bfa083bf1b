#include "core/user_input/config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/user_input/json_input.h"
#include "base/error.h"

namespace thrift_call {
namespace fs = std::filesystem;

namespace {

// "path:line:col" of byte `offset` (0-based) of `text`.
std::string location(const std::string& path, const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
  size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  size_t col = line_start == std::string::npos || offset == 0 ? offset + 1 : offset - line_start;
  return path + ":" + std::to_string(line) + ":" + std::to_string(col);
}

// nlohmann has no positions after parsing: a value's key is found in the text.
std::string key_location(const std::string& path, const std::string& text, const std::string& key) {
  size_t at = text.find("\"" + key + "\"");
  return location(path, text, at == std::string::npos ? 0 : at);
}

std::string expand_home(const std::string& path) {
  const char* home = std::getenv("HOME");
  if (home && (path == "~" || path.rfind("~/", 0) == 0)) return home + path.substr(1);
  return path;
}

std::vector<std::string> strings(const nlohmann::json& value, const std::string& key, const std::string& path,
                                 const std::string& text) {
  std::vector<std::string> out;
  bool ok = value.is_array();
  if (ok)
    for (const auto& item : value) {
      if (!item.is_string()) ok = false;
      else out.push_back(item.get<std::string>());
    }
  if (!ok) throw Error(ErrorKind::Input, "\"" + key + "\" must be a list of strings", key_location(path, text, key));
  return out;
}

}  // namespace

std::string config_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/thrift-call/config.json";
  const char* home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/.config/thrift-call/config.json";
}

Config load_config() {
  std::string path = config_path();
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_config(buffer.str(), path);
}

Config parse_config(const std::string& text, const std::string& path) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // what(): "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
    std::string what = e.what();
    size_t column = what.find("column ");
    size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
    std::string message = colon == std::string::npos ? what : what.substr(colon + 2);
    throw Error(ErrorKind::Input, "not valid JSON: " + message, location(path, text, e.byte == 0 ? 0 : e.byte - 1));
  } catch (const nlohmann::json::out_of_range& e) {
    // A number past a double's range; nlohmann gives no position.
    throw Error(ErrorKind::Input, "not valid JSON: " + number_overflow_reason(e), path);
  }
  if (!json.is_object()) throw Error(ErrorKind::Input, "the config is a JSON object", location(path, text, 0));
  Config config;
  for (const auto& [key, value] : json.items()) {
    if (key == "idl") {
      for (const std::string& entry : strings(value, key, path, text)) {
        std::string item = expand_home(entry);
        std::error_code ec;
        if (!fs::is_directory(item, ec)) {
          config.idl.push_back(item);
          continue;
        }
        std::vector<std::string> found;  // a folder: its *.thrift files, as THRIFT_CALL_IDL reads one
        // increment(ec), not ++: a folder that fails while being listed must
        // not throw past main's error handling.
        for (fs::directory_iterator it(item, ec), end; !ec && it != end; it.increment(ec))
          if (it->path().extension() == ".thrift" && it->is_regular_file(ec)) found.push_back(it->path().string());
        std::sort(found.begin(), found.end());
        config.idl.insert(config.idl.end(), found.begin(), found.end());
      }
    } else if (key == "include_dirs") {
      for (const std::string& dir : strings(value, key, path, text)) config.include_dirs.push_back(expand_home(dir));
    } else if (key == "headers") {
      config.headers = strings(value, key, path, text);
    } else if (key == "aliases") {
      if (!value.is_object()) throw Error(ErrorKind::Input, "\"aliases\" maps names to endpoints", key_location(path, text, key));
      for (const auto& [name, endpoint] : value.items()) {
        if (!endpoint.is_string())
          throw Error(ErrorKind::Input, "alias \"" + name + "\" must be an endpoint string", key_location(path, text, name));
        config.aliases[name] = endpoint.get<std::string>();
      }
    } else {
      throw Error(ErrorKind::Input, "unknown setting \"" + key + "\" (known: idl, include_dirs, headers, aliases)",
                  key_location(path, text, key));
    }
  }
  return config;
}

std::string resolve_alias(const Config& config, const std::string& text) {
  auto found = config.aliases.find(text);
  return found == config.aliases.end() ? text : found->second;
}

std::vector<std::string> merge_headers(const std::vector<std::string>& flags, const Config& config) {
  auto name_of = [](const std::string& header) {
    std::string name = header.substr(0, header.find(':'));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    return name;
  };
  std::vector<std::string> out = flags;
  for (const std::string& header : config.headers) {
    bool replaced = std::any_of(flags.begin(), flags.end(), [&](const std::string& f) { return name_of(f) == name_of(header); });
    if (!replaced) out.push_back(header);
  }
  return out;
}

}  // namespace thrift_call
