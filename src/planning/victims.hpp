// Victim selection (reference-behaviour.md §1.1 step 7, §1.9): which analysis targets (image / platform / machine)
// a file is run on and which hosts can serve each, with the reference precedence
// specific_machine > platform > specific_image. Pure: the machine lists were fetched by the caller.
#pragma once

#include "config/service_config.hpp"
#include "core/status.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace alcape::planning {

// One VM of a nest (machines/list `data[]`).
struct Machine {
  std::string name;
  std::string platform;  // windows / linux / darwin
  std::string arch;      // x64 / x86 (may be empty on old nests)
  std::vector<std::string> tags;
};

// The machines of one configured host (index into ServiceConfig::hosts). Hosts that did not answer machines/list
// or cannot serve the routing are left out by the caller.
struct HostMachines {
  std::size_t host_index = 0;
  std::vector<Machine> machines;
};

// machines/list `data` (a list of machine dicts) → machines; entries without a name are left out.
std::vector<Machine> machines_from_json(const json::Value& data);

// One CAPE task target: a top-level section "Analysis Environment Target: <label>".
struct Target {
  std::string label;                    // image name, platform, machine name or "First Machine Available"
  std::string title;                    // "Analysis Environment Target: " + label
  std::optional<std::string> tags;      // image flow: CAPE `tags=<image>`
  std::optional<std::string> machine;   // machine flow: CAPE `machine=<name>`
  std::optional<std::string> platform;  // platform flow: CAPE `platform=<p>`
  std::vector<std::size_t> hosts;       // candidate host indexes, in config order
};

// "Requested Machine/Platform/Image Does Not Exist" (reference texts) when nothing matches.
struct MissingVictim {
  std::string title;
  std::vector<std::string> lines;
};

struct VictimPlan {
  std::vector<Target> targets;          // empty iff missing is set
  std::optional<MissingVictim> missing;
};

// Images `auto` / `auto_all` choose for a file type (reference `_determine_relevant_images`); missing
// auto_architecture keys are treated as empty lists (the reference raises KeyError).
std::vector<std::string> relevant_images(const std::string& al_file_type, const config::ServiceConfig& config,
                                         bool all_relevant, const std::string& routing);

// Errors: kInvalidParams (specific_machine without "ip:" prefix while several hosts are configured);
// kNoMachine when nothing matches and config.retry_on_no_machine (recoverable: Assemblyline retries later).
StatusOr<VictimPlan> plan_victims(const std::vector<HostMachines>& machines, const std::string& al_file_type,
                                  const config::ServiceConfig& config, const config::SubmissionParams& params);

// Routing the task really uses: the `routing` param lower-cased, "inetsim" when enforce_routing and the param is
// not in routing_list (§1.1 step 1).
std::string effective_routing(const config::ServiceConfig& config, const config::SubmissionParams& params);

// Whether a host may serve that routing (§2 `_host_supports_routing`, with the reference's INetSim casing bug
// fixed: the inetsim check also applies under enforce_routing).
bool host_supports_routing(const config::Host& host, const std::string& routing);

}  // namespace alcape::planning
