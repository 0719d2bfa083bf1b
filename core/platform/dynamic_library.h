// A shared library opened when a command first needs it, not at start-up.
//
// Why: a one-shot call must cost about what a process start costs, and some
// dependencies cost more than the rest of the program to load. libcurl pulls
// in 25 more libraries (GnuTLS, Kerberos, LDAP, ...) whose loading and
// constructors take about 3.5 ms per process here, against 0.75 ms for an
// empty program; only http(s):// endpoints use it. The library's own header
// still declares its API, so each function pointer keeps the exact type
// (`symbol<decltype(&curl_easy_init)>("curl_easy_init")`) and nothing of the
// API is restated here.
#pragma once

#include <string>

#include "base/error.h"

namespace thrift_call {

class DynamicLibrary {
 public:
  // `soname` is the runtime name ("libcurl.so.4"); `package` is the Debian
  // package that ships it, and `purpose` what it is needed for, both for the
  // error a missing library produces (of kind `kind`).
  DynamicLibrary(std::string soname, std::string package, std::string purpose, ErrorKind kind);
  ~DynamicLibrary();
  DynamicLibrary(const DynamicLibrary&) = delete;
  DynamicLibrary& operator=(const DynamicLibrary&) = delete;

  // The library's function `name`, as a pointer of type `FunctionPointer`
  // (taken from the header's declaration with decltype, which does not link
  // against the library).
  template <typename FunctionPointer>
  FunctionPointer symbol(const char* name) const {
    return reinterpret_cast<FunctionPointer>(address(name));
  }

 private:
  void* address(const char* name) const;

  std::string soname_;
  std::string package_;
  std::string purpose_;
  ErrorKind kind_;
  void* handle_ = nullptr;
};

}  // namespace thrift_call

// Declares, inside a struct holding a DynamicLibrary named `library`, a
// member pointer named as the C function `function` and typed by its
// declaration in the library's header, looked up when the struct is made:
//   struct Curl {
//     DynamicLibrary library{"libcurl.so.4", "libcurl4", "an http(s) endpoint", ErrorKind::Transport};
//     THRIFT_CALL_DYNAMIC_FUNCTION(curl_easy_init);
//   };
#define THRIFT_CALL_DYNAMIC_FUNCTION(function) \
  decltype(&::function) function = library.symbol<decltype(&::function)>(#function)
