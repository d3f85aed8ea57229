#include "planning/host_choice.hpp"

#include <algorithm>

namespace alcape::planning {

HostStatus host_status_from_json(std::size_t host_index, const json::Value& data) {
  HostStatus s;
  s.host_index = host_index;
  if (!data.is_object()) return s;
  s.answered = true;
  auto number = [&](const char* group, const char* key) -> int64_t {
    const json::Value* g = json::find(data, group);
    const json::Value* v = g ? json::find(*g, key) : nullptr;
    return v && v->is_number_integer() ? v->get<int64_t>() : 0;
  };
  s.pending = number("tasks", "pending");
  s.available = number("machines", "available");
  return s;
}

std::optional<std::size_t> choose_host(const std::vector<HostStatus>& statuses, const std::string& round_robin_type,
                                       const Rng& rng) {
  const bool by_available = round_robin_type == "available_machines";
  std::vector<const HostStatus*> best;
  for (const HostStatus& s : statuses) {
    if (!s.answered) continue;
    if (best.empty()) {
      best.push_back(&s);
      continue;
    }
    const int64_t current = by_available ? best.front()->available : best.front()->pending;
    const int64_t value = by_available ? s.available : s.pending;
    const bool better = by_available ? value > current : value < current;
    if (better) best.assign(1, &s);
    else if (value == current) best.push_back(&s);
  }
  if (best.empty()) return std::nullopt;
  std::size_t pick = best.size() == 1 || !rng ? 0 : rng(best.size());
  return best[std::min(pick, best.size() - 1)]->host_index;
}

}  // namespace alcape::planning
