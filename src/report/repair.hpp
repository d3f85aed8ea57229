// Repairs JSON text that Python's json module accepts but strict parsers refuse (see reader.hpp's policy).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace alcape::report {

struct RepairResult {
  std::string text;
  size_t nan_literals = 0;      // NaN / Infinity / -Infinity outside strings, replaced by null
  size_t lone_surrogates = 0;   // \uD800-\uDFFF escapes without their pair, replaced by \ufffd
  size_t invalid_utf8 = 0;      // bytes that are not valid UTF-8, replaced by U+FFFD
  bool changed() const { return nan_literals || lone_surrogates || invalid_utf8; }
  std::vector<std::string> notices() const;
};

RepairResult repair_python_json(std::string_view text);

}  // namespace alcape::report
