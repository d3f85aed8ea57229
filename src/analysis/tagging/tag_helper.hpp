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

// add_tag(result_section, tag, value, safelist): the reference's return value, which callers depend on.
// - a falsy value (null, "", 0, [], {}) adds nothing and returns false;
// - a list adds each item and returns the result of the LAST item (the reference's `x, _ = f() or x`);
// - otherwise true when the value was accepted, even if the section already had that tag;
// - integers (ports) and other non-string values are added as they are; a non-string value for a tag type
//   with a regex (.ip/.domain/.uri/.uri_path) is rejected (the reference raises TypeError there).
bool add_tag(result::Section& section, std::string_view tag_type, const json::Value& value,
             const Safelist* safelist = nullptr);

// _validate_tag(result_section, tag, value, safelist) -> (added, safelisted).
struct TagOutcome {
  bool added = false;
  bool safelisted = false;
  bool operator==(const TagOutcome& o) const { return added == o.added && safelisted == o.safelisted; }
};
TagOutcome validate_tag(result::Section& section, std::string_view tag_type, const json::Value& value,
                        const Safelist* safelist = nullptr);

// Assemblyline's value checks (assemblyline.common.net / odm.base), exposed for the analysis stages.
bool is_valid_domain(std::string_view domain);  // labels of letters/digits/'-', known TLD (net.is_valid_domain)
bool is_valid_ip(std::string_view ip);          // four int() parts 0..255, first and last not 0 (IPv4 only)
bool matches_full_uri(std::string_view uri);    // re.match(FULL_URI, uri)
bool matches_uri_path(std::string_view path);   // re.match(URI_PATH, path)

}  // namespace alcape::analysis
