#include "planning/task_cache.hpp"

#include <algorithm>
#include <set>
#include <sstream>
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

// Machine tags without the architecture tags CAPE adds by itself; a list or CAPE's comma-separated text.
std::set<std::string> tag_set(const json::Value* tags) {
  std::set<std::string> out;
  auto add = [&](const std::string& tag) {
    if (!tag.empty() && tag != "x64" && tag != "x86") out.insert(tag);
  };
  if (tags && tags->is_array()) {
    for (const auto& tag : *tags)
      if (tag.is_string()) add(tag.get<std::string>());
  } else if (tags && tags->is_string()) {
    std::stringstream ss(tags->get<std::string>());
    for (std::string tag; std::getline(ss, tag, ',');) add(tag);
  }
  return out;
}

// The task form sends the clock as "%m-%d-%Y %H:%M:%S"; CAPE stores "%Y-%m-%d %H:%M:%S".
std::string clock_as_stored(const std::string& sent) {
  if (sent.size() == 19 && sent[2] == '-' && sent[5] == '-')
    return sent.substr(6, 4) + "-" + sent.substr(0, 2) + "-" + sent.substr(3, 2) + sent.substr(10);
  return sent;
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
  if (!task.clock.empty() && text(t, "clock") != clock_as_stored(task.clock)) return false;
  const json::Value wanted = task.tags ? json::Value(*task.tags) : json::Value();
  return tag_set(json::find(t, "tags")) == tag_set(&wanted);
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
