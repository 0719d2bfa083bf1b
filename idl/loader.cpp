#include "idl/loader.h"

#include <filesystem>
#include <fstream>
#include <unordered_map>

#include "idl/error.h"
#include "idl/parser.h"
#include "idl/resolver.h"

namespace thrift_call::idl {
namespace fs = std::filesystem;

namespace {

std::string program_name_of(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  if (name.size() > 7 && name.compare(name.size() - 7, 7, ".thrift") == 0) name.resize(name.size() - 7);
  return name;
}

class Loader {
 public:
  Loader(Schema& schema, const LoadOptions& options) : schema_(schema), options_(options) {}

  const Program* load(const std::string& path, const SourceLocation* included_from) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(fs::path(path), ec);
    std::string key = ec ? path : canonical.string();
    if (auto it = loaded_.find(key); it != loaded_.end()) return it->second;

    for (size_t i = 0; i < chain_.size(); ++i) {
      if (chain_[i].first != key) continue;
      std::string cycle;
      for (size_t j = i; j < chain_.size(); ++j) cycle += chain_[j].second + " -> ";
      cycle += path;
      throw Error(ErrorKind::Idl, "include cycle: " + cycle,
                  included_from ? included_from->to_string() : path);
    }

    // Each file included is a recursion, with its text held until its
    // includes are loaded: real IDL includes a few files deep.
    if (chain_.size() >= static_cast<size_t>(kMaxIdlNesting))
      throw Error(ErrorKind::Idl, "includes nested deeper than " + std::to_string(kMaxIdlNesting) + " files",
                  included_from ? included_from->to_string() : path);
    std::string source = read_file(path, included_from);
    auto program = std::make_unique<Program>();
    program->path = path;
    program->name = program_name_of(path);
    const std::string* file = schema_.intern_path(path);
    parse_program(source, file, *program, schema_);

    chain_.emplace_back(key, path);
    fs::path dir = fs::path(path).parent_path();
    for (Include& include : program->includes) {
      std::string found = find_include(include, dir);
      include.program = load(found, &include.location);
    }
    chain_.pop_back();

    Program& added = schema_.add_program(std::move(program));
    loaded_.emplace(key, &added);
    return &added;
  }

 private:
  std::string read_file(const std::string& path, const SourceLocation* included_from) {
    std::string where = included_from ? included_from->to_string() : path;
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw Error(ErrorKind::Idl, "\"" + path + "\" is a folder, not an IDL file", where);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::Idl, "cannot open \"" + path + "\"", where);
    in.seekg(0, std::ios::end);
    std::streamoff size = in.tellg();
    if (size < 0) throw Error(ErrorKind::Idl, "cannot read \"" + path + "\"", where);
    if (static_cast<size_t>(size) > options_.max_file_bytes)
      throw Error(ErrorKind::Idl,
                  "file is " + std::to_string(size) + " bytes, larger than the " +
                      std::to_string(options_.max_file_bytes) + "-byte limit for an IDL file",
                  path);
    in.seekg(0);
    std::string data(static_cast<size_t>(size), '\0');
    in.read(data.data(), size);
    return data;
  }

  std::string find_include(const Include& include, const fs::path& dir) {
    const std::string& wanted = include.path_as_written;
    std::vector<std::string> searched;
    auto try_path = [&](const fs::path& p) {
      std::error_code ec;
      searched.push_back(p.string());
      return fs::is_regular_file(p, ec);
    };
    if (fs::path(wanted).is_absolute()) {
      if (try_path(wanted)) return wanted;
    } else {
      fs::path local = dir.empty() ? fs::path(wanted) : dir / wanted;
      if (try_path(local)) return local.lexically_normal().string();
      for (const std::string& inc : options_.include_dirs) {
        fs::path candidate = fs::path(inc) / wanted;
        if (try_path(candidate)) return candidate.lexically_normal().string();
      }
    }
    std::string list;
    for (const auto& s : searched) list += (list.empty() ? "" : ", ") + s;
    throw Error(ErrorKind::Idl, "cannot find include \"" + wanted + "\" (searched " + list + "; add -I DIR)",
                include.location.to_string());
  }

  Schema& schema_;
  const LoadOptions& options_;
  std::unordered_map<std::string, const Program*> loaded_;
  std::vector<std::pair<std::string, std::string>> chain_;  // canonical, as given
};

}  // namespace

Schema load_schema(const std::vector<std::string>& files, const LoadOptions& options) {
  Schema schema;
  Loader loader(schema, options);
  for (const std::string& file : files) {
    const Program* program = loader.load(file, nullptr);
    bool seen = false;
    for (const Program* root : schema.roots()) seen = seen || root == program;
    if (!seen) schema.add_root(program);
  }
  resolve_schema(schema);
  return schema;
}

}  // namespace thrift_call::idl
