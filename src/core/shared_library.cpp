#include "core/shared_library.hpp"

#include <dlfcn.h>

namespace alcape {

StatusOr<SharedLibrary> SharedLibrary::open(const std::string& soname) {
  void* h = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* why = dlerror();
    return Error{ErrorCode::kMissingLibrary, std::string("cannot load: ") + (why ? why : "unknown dlopen error"),
                 soname};
  }
  return SharedLibrary(h, soname);
}

Status SharedLibrary::symbol(const char* name, void*& out) const {
  dlerror();  // clear a stale error: a symbol may legitimately be null
  out = dlsym(handle_, name);
  if (const char* why = dlerror())
    return Error{ErrorCode::kMissingLibrary, std::string("lacks the function ") + name + ": " + why, soname_};
  if (!out) return Error{ErrorCode::kMissingLibrary, std::string("lacks the function ") + name, soname_};
  return Status();
}

}  // namespace alcape
