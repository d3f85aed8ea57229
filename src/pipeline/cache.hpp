// The SHA-256 cache (reference-behaviour.md §1.3, §2 `tasks_are_similar`) with the reference's bugs fixed (§10.6):
// the matching task is reused (not data[0]), tags are compared as sets, no-tag flows can hit, failed tasks are never
// reused, and the clock is compared only when one was requested.
#pragma once

#include "json/value.hpp"
#include "planning/task_params.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace alcape::pipeline {

struct CachedTask {
  int64_t id = 0;
  std::string status;
};

// `tasks`: the data of tasks/search/sha256 (newest first). The newest task submitted with the same parameters that
// has not failed, or nullopt.
std::optional<CachedTask> find_reusable_task(const json::Value& tasks, const planning::TaskRequest& request,
                                             const std::string& file_name);

}  // namespace alcape::pipeline
