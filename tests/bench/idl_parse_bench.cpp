// Times parse + resolve of IDL files inside one process: the part of
// `thrift-call` that the IDL front end owns, without process start-up.
// usage: idl_parse_bench [-I DIR]... FILE...   prints "FILE <best ms>" per file.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "base/error.h"
#include "idl/loader.h"

int main(int argc, char** argv) {
  thrift_call::idl::LoadOptions options;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-I" && i + 1 < argc) {
      options.include_dirs.push_back(argv[++i]);
    } else {
      files.push_back(arg);
    }
  }
  using clock = std::chrono::steady_clock;
  for (const std::string& file : files) {
    try {
      double best = 1e9;
      auto deadline = clock::now() + std::chrono::milliseconds(300);
      for (int run = 0; run < 5 || clock::now() < deadline; ++run) {
        auto start = clock::now();
        auto schema = thrift_call::idl::load_schema({file}, options);
        std::chrono::duration<double, std::milli> took = clock::now() - start;
        if (took.count() < best) best = took.count();
      }
      std::printf("%s %.4f\n", file.c_str(), best);
    } catch (const thrift_call::Error& e) {
      std::fprintf(stderr, "idl_parse_bench: %s\n", e.what());
      return 2;
    }
  }
  return 0;
}
