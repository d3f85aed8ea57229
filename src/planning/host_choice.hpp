// Which nest runs a task (reference-behaviour.md §1.8), from the cuckoo/status answers of the candidate hosts.
#pragma once

#include "json/value.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace alcape::planning {

struct HostStatus {
  std::size_t host_index = 0;
  bool answered = false;     // false: down / error / no data → skipped
  int64_t pending = 0;       // data.tasks.pending
  int64_t available = 0;     // data.machines.available
};

// From a cuckoo/status answer's `data` ({"tasks": {"pending": n}, "machines": {"available": n}}); answered is false
// when `data` is not an object.
HostStatus host_status_from_json(std::size_t host_index, const json::Value& data);

// rng(n) returns a uniformly chosen index in [0, n) (injected so tests are deterministic).
using Rng = std::function<std::size_t(std::size_t)>;

// round_robin_type "available_machines": most available machines; anything else ("default"): fewest pending.
// Ties broken by rng. nullopt when no host answered.
std::optional<std::size_t> choose_host(const std::vector<HostStatus>& statuses, const std::string& round_robin_type,
                                       const Rng& rng);

}  // namespace alcape::planning
