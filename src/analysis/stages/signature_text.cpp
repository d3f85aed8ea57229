#include "analysis/stages/signature_text.hpp"

#include "analysis/stages/pystr.hpp"
#include "result/section.hpp"

namespace alcape::analysis {

std::string py_truncate(std::string_view s, size_t length) {
  std::string safe = result::safe_str(s);
  if (py::length(safe) <= length) return safe;
  // Cut after `length` code points: count lead bytes (safe_str output is valid UTF-8).
  size_t kept = 0, i = 0;
  for (; i < safe.size(); ++i) {
    if ((static_cast<unsigned char>(safe[i]) & 0xC0) != 0x80) {
      if (kept == length) break;
      ++kept;
    }
  }
  return safe.substr(0, i) + "...";
}

}  // namespace alcape::analysis
