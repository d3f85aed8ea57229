// Adding a tag the way the reference's tag helper does (assemblyline_service_utilities.common.tag_helper.add_tag):
// values are validated as Assemblyline validates them (domain/IP/URI/URI-path regexes, valid TLD, IPv4 only),
// safelisted values are dropped, a URI also tags its host (domain or IP) and its path, and a URI-like value that
// is not a valid URI falls back to `file.string.extracted`. An invalid value is never added.
#pragma once

#include "analysis/tagging/safelist.hpp"
#include "json/value.hpp"
#include "result/section.hpp"

#include <string_view>

namespace alcape::analysis {

// add_tag(result_section, tag, value, safelist): true when at least one tag was added.
// A list value adds each item. Integers (ports) are added as integers.
bool add_tag(result::Section& section, std::string_view tag_type, const json::Value& value,
             const Safelist* safelist = nullptr);

// Assemblyline's value checks (assemblyline.common.net / odm.base), exposed for the analysis stages.
bool is_valid_domain(std::string_view domain);  // DOMAIN_ONLY_REGEX match + known TLD
bool is_valid_ip(std::string_view ip);          // IPv4 dotted quad, each part 0..255
bool matches_full_uri(std::string_view uri);    // re.match(FULL_URI, uri)
bool matches_uri_path(std::string_view path);   // re.match(URI_PATH, path)

}  // namespace alcape::analysis
