// IOC hunting in free text as the reference does it (dynamic_service_helper.extract_iocs_from_text_blob, which
// uses multidecoder's find_ips / find_domains / find_urls): IPs, domains and URIs found in `blob` are tagged on
// `table` (network.static.* or network.dynamic.*) and added as {"ioc_type", "ioc"} rows, de-duplicated, with the
// rows and the .ip/.domain/.uri/.uri_path tag lists sorted at the end.
#pragma once

#include "analysis/tagging/safelist.hpp"
#include "result/section.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace alcape::analysis {

struct IocExtractOptions {
  bool enforce_char_min = false;         // domains < 8 chars and URIs < 11 chars are ignored
  bool enforce_domain_char_max = false;  // domains > 255 chars are ignored
  bool is_network_static = false;        // tag as network.static.* instead of network.dynamic.*
  const Safelist* safelist = nullptr;
  // Called for every URI that was tagged (the reference adds it to the ontology signature's attributes).
  std::function<void(const std::string& uri)> on_uri;
};

void extract_iocs_from_text_blob(std::string_view blob, result::Section& table, const IocExtractOptions& options);

// The multidecoder finders, exposed for the stages that use them directly (buffers, unseen IOCs).
std::vector<std::string> find_ips(std::string_view text);
std::vector<std::string> find_domains(std::string_view text);
std::vector<std::string> find_urls(std::string_view text);

}  // namespace alcape::analysis
