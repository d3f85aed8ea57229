// SHA-256 cache (reference-behaviour.md §2 call 3, `tasks_are_similar`, with the §10.6 bugs fixed): which task of
// a tasks/search/sha256 answer can stand in for the task about to be submitted.
#pragma once

#include "planning/task_params.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace alcape::planning {

// `search_data`: the answer's `data` (a list of CAPE task dicts). Returns the id of the matching task, preferring
// a reported one, then the newest; nullopt when none matches. A task matches when it is not failed/banned, its
// target's basename is `file_name`, and timeout, enforce_timeout, package, route, options, memory, custom (empty),
// tags (as sets, minus CAPE's automatic x64/x86; none when the request has none), machine, platform and — only
// when the request sets one, compared in CAPE's stored form — clock are the same. The caller skips this when ignore_cape_cache is set.
std::optional<int64_t> find_reusable_task(const json::Value& search_data, const TaskRequest& task,
                                          const std::string& file_name);

}  // namespace alcape::planning
