// The pieces of the Network Activity section (reference-behaviour.md §5.8) and of the network ontology,
// in the order add_network_sections runs them.
#pragma once

#include "analysis/context.hpp"
#include "analysis/network/network_ontology.hpp"
#include "result/section.hpp"

namespace alcape::analysis::network {

// "Non-Standard DNS Server Used" (1008) and "Protocol: DNS" (1000, with "Non-Standard DNS Query Used" 1009).
void add_dns_sections(AnalysisContext& ctx, result::Section& network_section);
// _get_dns_sec alone: the "Protocol: DNS" table, or nullptr when there are no DNS requests.
std::unique_ptr<result::Section> make_dns_table(const json::Value& dns_requests, const Safelist* safelist);
// NetworkDNS + DNS NetworkConnection objects, appended (validated) to process_events.
void add_dns_ontology(AnalysisContext& ctx, ConnectionListing& listing);

// "TCP/UDP Network Traffic" (1004, with 1010/1011) and the flow connections; returns the unique flows (rows).
json::Value add_flow_section(AnalysisContext& ctx, result::Section& network_section, ConnectionListing& listing);
// "Non-HTTP Traffic Over HTTP Ports" (1005).
void add_non_http_traffic_section(result::Section& network_section, const json::Value& unique_netflows);

// "Protocol: HTTP/HTTPS" (1002) with its subsections, and the HTTP ontology objects.
void add_http_section(AnalysisContext& ctx, result::Section& network_section, const json::Value& unique_netflows,
                      ConnectionListing& listing);

// "Unseen IOCs found in API calls" (1013).
void add_unseen_iocs_section(AnalysisContext& ctx, result::Section& network_section);

// A TEXT section titled with the heuristic's name, raising it, with its description as first line.
std::unique_ptr<result::Section> heuristic_text_section(int heur_id);

}  // namespace alcape::analysis::network
