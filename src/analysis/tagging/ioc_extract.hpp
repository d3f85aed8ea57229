// IOC hunting in free text as the reference does it (dynamic_service_helper.extract_iocs_from_text_blob, which
// uses multidecoder's find_ips / find_domains / find_urls): IPs, domains and URIs found in `blob` are tagged on
// `table` (network.static.* or network.dynamic.*) and added as {"ioc_type", "ioc"} rows, de-duplicated, with the
// rows and the .ip/.domain/.uri/.uri_path tag lists sorted at the end.
//
// Filters of the reference: domains ending in a common false-positive TLD (.net, .zip, .js, .info, ... ) are
// kept only when they are the host of a URI found in the same text; example.com is dropped; with
// enforce_char_min, domains shorter than 8 and URIs shorter than 11 characters are dropped; a URI is cut at
// the first ' ', ',' or '\' and the rest is hunted recursively.
#pragma once

#include "analysis/tagging/safelist.hpp"
#include "result/section.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

struct IocExtractOptions {
  bool enforce_char_min = false;         // domains < 8 chars and URIs < 11 chars are ignored
  bool enforce_domain_char_max = false;  // domains > 100 chars are ignored (MAX_DOMAIN_CHARS)
  bool is_network_static = false;        // tag as network.static.* instead of network.dynamic.*
  const Safelist* safelist = nullptr;
  // Called for every URI that was tagged, in tagging order (the reference adds it to the ontology signature's
  // attributes when it has a signature and a source; it then sorts the attributes by uri: the caller must too).
  std::function<void(const std::string& uri)> on_uri;
};

void extract_iocs_from_text_blob(std::string_view blob, result::Section& table, const IocExtractOptions& options);

// The multidecoder finders (v1.6.26), exposed for the stages that use them directly (buffers, unseen IOCs).
// Each returns the values of the nodes found, in text order: the normalised IPv4 (an IP whose second part has
// one digit, like 192.0.2.1, is taken for a version number and skipped), the domain, and the URL with its
// percent-encoding normalised and spaces as %20. Input is bytes (UTF-8 or not).
std::vector<std::string> find_ips(std::string_view text);
std::vector<std::string> find_domains(std::string_view text);
std::vector<std::string> find_urls(std::string_view text);

}  // namespace alcape::analysis
