#include "idl/loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unordered_map>

#include "base/error.h"
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

// An IDL file, open. The same file under two paths (a symlink, "a/../b",
// an -I dir) is one program: its device and inode say so from the open
// file, where a canonical path would cost a readlink per component of the
// path (several times the parse of a deep file).
class IdlFile {
 public:
  IdlFile(const std::string& path, const std::string& where) : path_(path), where_(where) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    // A constructor that throws runs no destructor: the descriptor is closed here.
    auto fail = [&](const std::string& message) {
      if (fd_ >= 0) ::close(fd_);
      throw Error(ErrorKind::Idl, message, where);
    };
    if (fd_ < 0 || ::fstat(fd_, &stat_) != 0) fail("cannot open \"" + path + "\"");
    if (S_ISDIR(stat_.st_mode)) fail("\"" + path + "\" is a folder, not an IDL file");
    identity_ = std::to_string(stat_.st_dev) + ":" + std::to_string(stat_.st_ino);
  }
  ~IdlFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  IdlFile(const IdlFile&) = delete;
  IdlFile& operator=(const IdlFile&) = delete;

  const std::string& identity() const { return identity_; }

  // To its end, up to the limit: a FIFO or a file that grows has more than
  // its size said.
  std::string read(size_t max_bytes) const {
    bool regular = S_ISREG(stat_.st_mode);
    if (regular && static_cast<uint64_t>(stat_.st_size) > max_bytes) throw too_large(stat_.st_size, max_bytes);
    std::string data(regular ? static_cast<size_t>(stat_.st_size) : 0, '\0');
    size_t got = 0;
    for (;;) {
      char more[4096];
      bool full = got == data.size();
      ssize_t n = full ? ::read(fd_, more, sizeof more) : ::read(fd_, data.data() + got, data.size() - got);
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        throw Error(ErrorKind::Idl, "cannot read \"" + path_ + "\": " + std::strerror(errno), where_);
      }
      if (full) data.append(more, static_cast<size_t>(n));
      got += static_cast<size_t>(n);
      if (got > max_bytes) throw too_large(static_cast<off_t>(got), max_bytes);
    }
    data.resize(got);
    return data;
  }

 private:
  Error too_large(off_t size, size_t max_bytes) const {
    return Error(ErrorKind::Idl,
                 "file is " + std::to_string(size) + " bytes, larger than the " + std::to_string(max_bytes) +
                     "-byte limit for an IDL file",
                 path_);
  }

  std::string path_;
  std::string where_;
  int fd_ = -1;
  struct stat stat_ {};
  std::string identity_;
};

class Loader {
 public:
  Loader(Schema& schema, const LoadOptions& options) : schema_(schema), options_(options) {}

  const Program* load(const std::string& path, const SourceLocation* included_from) {
    std::string where = included_from ? included_from->to_string() : path;
    IdlFile file(path, where);
    if (auto it = loaded_.find(file.identity()); it != loaded_.end()) return it->second;

    for (size_t i = 0; i < chain_.size(); ++i) {
      if (chain_[i].first != file.identity()) continue;
      std::string cycle;
      for (size_t j = i; j < chain_.size(); ++j) cycle += chain_[j].second + " -> ";
      cycle += path;
      throw Error(ErrorKind::Idl, "include cycle: " + cycle, where);
    }

    // Each file included is a recursion, with its text held until its
    // includes are loaded: real IDL includes a few files deep.
    if (chain_.size() >= static_cast<size_t>(kMaxIdlNesting))
      throw Error(ErrorKind::Idl, "includes nested deeper than " + std::to_string(kMaxIdlNesting) + " files", where);
    std::string source = file.read(options_.max_file_bytes);
    auto program = std::make_unique<Program>();
    program->path = path;
    program->name = program_name_of(path);
    const std::string* interned = schema_.intern_path(path);
    parse_program(source, interned, *program, schema_);

    chain_.emplace_back(file.identity(), path);
    fs::path dir = fs::path(path).parent_path();
    for (Include& include : program->includes) {
      std::string found = find_include(include, dir);
      include.program = load(found, &include.location);
    }
    chain_.pop_back();

    Program& added = schema_.add_program(std::move(program));
    loaded_.emplace(file.identity(), &added);
    return &added;
  }

 private:
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
  std::vector<std::pair<std::string, std::string>> chain_;  // identity, as given
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
