#include "planning/task_cache.hpp"

#include <algorithm>
#include <vector>

namespace alcape::planning {
namespace {

std::string text(const json::Value& t, const char* key) {
  const json::Value* v = json::find(t, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

bool flag(const json::Value& t, const char* key) {
  const json::Value* v = json::find(t, key);
  return v && json::truthy(*v);
}

std::string basename(const std::string& path) {
  size_t cut = path.find_last_of("/\\");
  return cut == std::string::npos ? path : path.substr(cut + 1);
}

bool matches(const json::Value& t, const TaskRequest& task, const std::string& file_name) {
  static const std::vector<std::string> usable = {"pending", "running", "completed", "reported"};
  if (std::find(usable.begin(), usable.end(), text(t, "status")) == usable.end()) return false;
  if (basename(text(t, "target")) != file_name) return false;
  const json::Value* timeout = json::find(t, "timeout");
  if (!timeout || !timeout->is_number_integer() || timeout->get<int64_t>() != task.timeout) return false;
  if (flag(t, "enforce_timeout") != task.enforce_timeout || flag(t, "memory") != task.memory) return false;
  if (!text(t, "custom").empty()) return false;
  if (text(t, "package") != task.package.value_or("")) return false;
  if (text(t, "route") != task.route.value_or("")) return false;
  if (text(t, "options") != task.options) return false;
  if (task.machine && text(t, "machine") != *task.machine) return false;
  if (task.platform && text(t, "platform") != *task.platform) return false;
  if (!task.clock.empty() && text(t, "clock") != task.clock) return false;
  std::vector<std::string> tags;
  if (const json::Value* list = json::find(t, "tags"); list && list->is_array()) {
    for (const auto& tag : *list) {
      if (tag.is_string() && tag != "x64" && tag != "x86") tags.push_back(tag.get<std::string>());
    }
  }
  const std::vector<std::string> wanted = task.tags ? std::vector<std::string>{*task.tags} : std::vector<std::string>{};
  return tags == wanted;
}

}  // namespace

std::optional<int64_t> find_reusable_task(const json::Value& search_data, const TaskRequest& task,
                                          const std::string& file_name) {
  if (!search_data.is_array()) return std::nullopt;
  std::optional<int64_t> best;
  bool best_reported = false;
  for (const auto& t : search_data) {
    const json::Value* id = json::find(t, "id");
    if (!id || !id->is_number_integer() || !matches(t, task, file_name)) continue;
    const bool reported = text(t, "status") == "reported";
    if (!best || (reported && !best_reported) || (reported == best_reported && id->get<int64_t>() > *best)) {
      best = id->get<int64_t>();
      best_reported = reported;
    }
  }
  return best;
}

}  // namespace alcape::planning
