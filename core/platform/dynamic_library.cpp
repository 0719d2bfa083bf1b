#include "core/platform/dynamic_library.h"

#include <dlfcn.h>

namespace thrift_call {

DynamicLibrary::DynamicLibrary(std::string soname, std::string package, std::string purpose, ErrorKind kind)
    : soname_(std::move(soname)), package_(std::move(package)), purpose_(std::move(purpose)), kind_(kind) {
  handle_ = dlopen(soname_.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle_) {
    const char* why = dlerror();
    throw Error(kind_,
                purpose_ + " needs " + soname_ + ", which could not be loaded (install the Debian package " + package_ +
                    "): " + (why ? why : "unknown error"));
  }
}

// The library stays mapped (RTLD_NODELETE): what it allocated for itself
// (libedit's terminal tables, libcurl's global state) outlives our handle,
// and a leak checker can only name the module it came from while it is mapped.
DynamicLibrary::~DynamicLibrary() {
  if (handle_) dlclose(handle_);
}

void* DynamicLibrary::address(const char* name) const {
  void* found = dlsym(handle_, name);
  if (!found)
    throw Error(kind_, soname_ + " has no function " + name + " (install the Debian package " + package_ + ")");
  return found;
}

}  // namespace thrift_call
