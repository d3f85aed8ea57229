// Helpers shared by the network stages for the ontology objects (NetworkConnection / NetworkDNS / NetworkHTTP)
// and the connection dicts of the Processes section.
#pragma once

#include "analysis/context.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace alcape::analysis::network {

// A pid as the ontology takes it: JSON integers only (the reference's int keys); anything else is no pid.
std::optional<int64_t> as_pid(const json::Value& v);
std::optional<std::string> as_opt_string(const json::Value& v);

// The session of the analysis' sandbox (every network object carries it); empty without a sandbox.
std::string sandbox_session(const AnalysisContext& ctx);

// The reference's post-creation process linking of a connection: when the connection has no process, the first
// ontology process with `pid`; otherwise, with both pid and image known, the process is updated with them.
void link_connection_process(AnalysisContext& ctx, ontology::NetworkConnection& nc, const json::Value& pid,
                             const json::Value& image);

// nc.as_primitives() as the Processes section lists it: time_observed from the objectid, no objectid, sources,
// and the process reduced to its pid (the section's items hold a pid; the reference did this for flows only and
// its validator dropped DNS/HTTP connections with a process: D-network-9).
json::Value connection_event_dict(const ontology::NetworkConnection& nc, const json::Value& sources);

// The connections listed in process_events["network_connections"] (the Processes section), each once.
class ConnectionListing {
 public:
  // Appends the connection's dict when the sandbox-event schema accepts it. HTTP details are checked on their
  // own (the reference's schema rejected every HTTP detail it built: D-network-9).
  void add(AnalysisContext& ctx, const ontology::NetworkConnection& nc, json::Value dict);
  // Lists an HTTP connection: a connection already listed (a flow carrying the request) gets its HTTP details
  // and connection type, any other is added.
  void add_or_update_http(AnalysisContext& ctx, const ontology::NetworkConnection& nc, json::Value dict);

 private:
  std::vector<std::pair<const ontology::NetworkConnection*, size_t>> listed_;
};

}  // namespace alcape::analysis::network
