// A system shared library loaded on demand (dlopen) instead of at process start.
//
// Why: libcurl pulls ~30 libraries (GnuTLS, Kerberos, LDAP, ...) into every process that links it; loading them
// is most of the start-up time of `al-cape report`, which never talks to a network. The commands that do
// load it on first use. Functions are bound by name into typed pointers (decltype of the real declaration), so
// call sites keep the library's own signatures.
#pragma once

#include "core/status.hpp"

#include <string>

namespace alcape {

class SharedLibrary {
 public:
  // dlopen(soname). The handle is never closed: the libraries loaded this way keep global state.
  static StatusOr<SharedLibrary> open(const std::string& soname);

  // Binds `fn` to the symbol `name`; an error names the library and the symbol.
  template <typename Fn>
  Status bind(const char* name, Fn& fn) const {
    void* p = nullptr;
    Status s = symbol(name, p);
    if (s.ok()) fn = reinterpret_cast<Fn>(p);
    return s;
  }

  const std::string& soname() const { return soname_; }

 private:
  SharedLibrary(void* handle, std::string soname) : handle_(handle), soname_(std::move(soname)) {}
  Status symbol(const char* name, void*& out) const;

  void* handle_;
  std::string soname_;
};

}  // namespace alcape
