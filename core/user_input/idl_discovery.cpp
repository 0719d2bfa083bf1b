#include "core/user_input/idl_discovery.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "idl/loader.h"

namespace thrift_call {
namespace fs = std::filesystem;

namespace {

void add_folder(const fs::path& dir, std::vector<std::string>& out) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".thrift" && entry.is_regular_file(ec)) found.push_back(entry.path().string());
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

bool defines_service(const std::string& path, std::string_view service) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::string_view bare = service.substr(service.rfind('.') == std::string_view::npos ? 0 : service.rfind('.') + 1);
  for (size_t pos = text.find("service"); pos != std::string::npos; pos = text.find("service", pos + 7)) {
    size_t p = pos + 7;
    if (p >= text.size() || (text[p] != ' ' && text[p] != '\t' && text[p] != '\n' && text[p] != '\r')) continue;
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t' || text[p] == '\n' || text[p] == '\r')) ++p;
    if (text.compare(p, bare.size(), bare) == 0) {
      size_t end = p + bare.size();
      if (end >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
        return true;
    }
  }
  return false;
}

}  // namespace

IdlCandidates discover_idl_files(const IdlOptions& options) {
  IdlCandidates out;
  if (!options.files.empty()) {
    out.files = options.files;
    out.searched = "--idl";
    return out;
  }
  if (const char* env = std::getenv("THRIFT_CALL_IDL"); env && *env) {
    std::string list = env;
    size_t start = 0;
    while (start <= list.size()) {
      size_t colon = list.find(':', start);
      std::string item = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!item.empty()) {
        std::error_code ec;
        if (fs::is_directory(item, ec)) {
          add_folder(item, out.files);
        } else {
          out.files.push_back(item);
        }
      }
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    out.searched = "THRIFT_CALL_IDL=" + list;
    return out;
  }
  add_folder(fs::current_path(), out.files);
  out.searched = "*.thrift in " + fs::current_path().string() + " (no --idl, THRIFT_CALL_IDL unset)";
  return out;
}

idl::Schema load_idl(const IdlOptions& options, std::optional<std::string_view> service) {
  IdlCandidates candidates = discover_idl_files(options);
  if (candidates.files.empty())
    throw Error(ErrorKind::Idl, "no IDL files found; give --idl FILE or set THRIFT_CALL_IDL", candidates.searched);
  std::vector<std::string> files = candidates.files;
  if (service && files.size() > 1) {
    std::vector<std::string> matching;
    for (const auto& f : files)
      if (defines_service(f, *service)) matching.push_back(f);
    // No match: the name may be a type or a typo; load everything and let
    // the lookup say what is missing.
    if (!matching.empty()) files = std::move(matching);
  }
  idl::LoadOptions load;
  load.include_dirs = options.include_dirs;
  return idl::load_schema(files, load);
}

}  // namespace thrift_call
