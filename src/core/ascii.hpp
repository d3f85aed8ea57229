// ASCII case folding (what std::tolower does in the "C" locale), for protocol names, file extensions, header
// names and config keywords. Python's str.lower() on text is analysis/stages/pystr.hpp's lower().
#pragma once

#include <string>
#include <string_view>

namespace alcape {

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  return out;
}

}  // namespace alcape
