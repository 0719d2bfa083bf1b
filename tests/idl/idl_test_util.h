// Writing IDL snippets to a scratch folder and loading them.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "idl/loader.h"

namespace thrift_call::test {

class ScratchDir {
 public:
  ScratchDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("thrift-call-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Loads one IDL text as "test.thrift" in a fresh scratch folder.
inline idl::Schema load_text(const std::string& text, std::vector<std::string> include_dirs = {}) {
  ScratchDir dir;
  idl::LoadOptions options;
  options.include_dirs = std::move(include_dirs);
  return idl::load_schema({dir.write("test.thrift", text)}, options);
}

}  // namespace thrift_call::test
