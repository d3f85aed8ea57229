// Assemblyline's validation regexes (assemblyline.odm.base), compiled once from data/al_regexes.json with
// Python semantics (see py_regex.hpp). Use these wherever the reference calls re.match/search/findall with
// DOMAIN_REGEX, IP_REGEX, FULL_URI, URI_PATH, ... .
#pragma once

#include "analysis/tagging/py_regex.hpp"

#include <string_view>

namespace alcape::analysis {

enum class AlRegex {
  DOMAIN_REGEX,
  DOMAIN_ONLY_REGEX,
  EMAIL_REGEX,
  IPV4_REGEX,
  IPV6_REGEX,
  IP_REGEX,
  IP_ONLY_REGEX,
  IPV4_ONLY_REGEX,
  IPV6_ONLY_REGEX,
  PORT_REGEX,
  PRIVATE_IP,
  URI_PATH,
  URI_REGEX,
  FULL_URI,
  kCount
};

// The compiled pattern (case-sensitive, as the reference uses them). Compiled on first use, thread-safe.
const pyre::Regex& al_regex(AlRegex which);

// The Python source text of the pattern (e.g. to build a larger pattern such as f"Host: ({DOMAIN_REGEX})\r").
std::string_view al_regex_source(AlRegex which);

}  // namespace alcape::analysis
