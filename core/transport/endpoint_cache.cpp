#include "core/transport/endpoint_cache.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

namespace thrift_call::transport {

namespace fs = std::filesystem;

namespace {

std::optional<fs::path> cache_file() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "thrift-call" / "endpoints.json";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "thrift-call" / "endpoints.json";
  return std::nullopt;
}

// The entries as this file writes them: an object of endpoints, each an
// object of strings and booleans. Anything else in it (an edit, a broken
// write, a value nested thousands deep, which printing it back would recurse
// through) is dropped, not carried along.
nlohmann::json read_all(const fs::path& file) {
  nlohmann::json entries = nlohmann::json::object();
  std::ifstream in(file);
  if (!in) return entries;
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (!doc.is_object()) return entries;
  for (auto& [endpoint, setting] : doc.items()) {
    if (!setting.is_object()) continue;
    bool flat = true;
    for (const auto& value : setting) flat = flat && (value.is_string() || value.is_boolean());
    if (flat) entries[endpoint] = std::move(setting);
  }
  return entries;
}

}  // namespace

std::optional<CachedSetting> load_cached_setting(const std::string& endpoint) {
  auto file = cache_file();
  if (!file) return std::nullopt;
  nlohmann::json doc = read_all(*file);
  auto it = doc.find(endpoint);
  if (it == doc.end() || !it->is_object() || !(*it)["protocol"].is_string() || !(*it)["transport"].is_string())
    return std::nullopt;
  auto multiplexed = it->find("multiplexed");
  return CachedSetting{(*it)["protocol"].get<std::string>(), (*it)["transport"].get<std::string>(),
                       multiplexed != it->end() && multiplexed->is_boolean() && multiplexed->get<bool>()};
}

void store_cached_setting(const std::string& endpoint, const std::optional<CachedSetting>& setting) {
  auto file = cache_file();
  if (!file) return;
  std::error_code ec;
  fs::create_directories(file->parent_path(), ec);
  nlohmann::json doc = read_all(*file);
  if (setting) {
    doc[endpoint] = {{"protocol", setting->protocol}, {"transport", setting->transport}};
    if (setting->multiplexed) doc[endpoint]["multiplexed"] = true;
  } else {
    doc.erase(endpoint);
  }
  // Write then rename, so a concurrent reader never sees half a file.
  fs::path tmp = *file;
  tmp += "." + std::to_string(::getpid());
  {
    std::ofstream out(tmp);
    if (!out) return;
    out << doc.dump(2) << "\n";
  }
  fs::rename(tmp, *file, ec);
  if (ec) fs::remove(tmp, ec);
}

}  // namespace thrift_call::transport
