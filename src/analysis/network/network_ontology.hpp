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

// nc.as_primitives() as the Processes section lists it: time_observed from the objectid, no objectid, sources.
json::Value connection_event_dict(const ontology::NetworkConnection& nc, const json::Value& sources);

}  // namespace alcape::analysis::network
