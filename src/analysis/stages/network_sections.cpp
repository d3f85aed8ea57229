// The Network Activity subsections, in the reference's order (§5.8).
#include "analysis/stages/network_sections.hpp"

#include "analysis/network/network_sections_parts.hpp"

namespace alcape::analysis {

void add_network_sections(AnalysisContext& ctx, result::Section& network_section) {
  if (!ctx.process_events.contains("network_connections"))
    ctx.process_events["network_connections"] = json::Value::array();
  network::ConnectionListing listing;
  network::add_dns_sections(ctx, network_section);
  network::add_dns_ontology(ctx, listing);
  json::Value unique_netflows = network::add_flow_section(ctx, network_section, listing);
  network::add_http_section(ctx, network_section, unique_netflows, listing);
  network::add_unseen_iocs_section(ctx, network_section);
}

}  // namespace alcape::analysis
