// What `--protocol auto --transport auto` found for each endpoint, kept in
// $XDG_CACHE_HOME/thrift-call/endpoints.json (~/.cache/... by default), so
// only the first call to a server probes.
#pragma once

#include <optional>
#include <string>

namespace thrift_call::transport {

struct CachedSetting {
  std::string protocol;   // "binary", "compact", "json"
  std::string transport;  // "buffered", "framed", "header"
  bool multiplexed = false;  // calls are named "Service:method"
};

// Best effort: an unreadable or corrupt cache is treated as empty, and a
// cache that cannot be written is left alone.
std::optional<CachedSetting> load_cached_setting(const std::string& endpoint);
void store_cached_setting(const std::string& endpoint, const std::optional<CachedSetting>& setting);

}  // namespace thrift_call::transport
