#include "pipeline/cache.hpp"

#include <algorithm>
#include <set>
#include <sstream>

namespace alcape::pipeline {
namespace {

std::string str_of(const json::Value& task, const char* key) {
  if (!task.contains(key) || task[key].is_null()) return "";
  if (task[key].is_string()) return task[key].get<std::string>();
  return task[key].dump();
}

bool bool_of(const json::Value& task, const char* key) {
  if (!task.contains(key)) return false;
  const auto& v = task[key];
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string()) return v == "True" || v == "true" || v == "1";
  return false;
}

// Machine tags without the architecture tags CAPE adds by itself.
std::set<std::string> tag_set(const json::Value& tags) {
  std::set<std::string> out;
  auto add = [&](std::string t) {
    if (!t.empty() && t != "x64" && t != "x86") out.insert(t);
  };
  if (tags.is_array()) {
    for (const auto& t : tags)
      if (t.is_string()) add(t.get<std::string>());
  } else if (tags.is_string()) {
    std::stringstream ss(tags.get<std::string>());
    for (std::string t; std::getline(ss, t, ',');) add(t);
  }
  return out;
}

// CAPE stores "%Y-%m-%d %H:%M:%S"; the task form sends "%m-%d-%Y %H:%M:%S".
std::string clock_as_stored(const std::string& sent) {
  if (sent.size() == 19 && sent[2] == '-' && sent[5] == '-')
    return sent.substr(6, 4) + "-" + sent.substr(0, 2) + "-" + sent.substr(3, 2) + sent.substr(10);
  return sent;
}

bool similar(const json::Value& task, const planning::TaskRequest& req, const std::string& file_name) {
  const std::string status = str_of(task, "status");
  if (status.rfind("failed_", 0) == 0 || status == "banned" || status == "recovered") return false;
  if (task.contains("timeout") && task["timeout"].is_number_integer() && task["timeout"].get<int>() != req.timeout)
    return false;
  if (bool_of(task, "enforce_timeout") != req.enforce_timeout) return false;
  if (bool_of(task, "memory") != req.memory) return false;
  if (str_of(task, "options") != req.options) return false;
  if (str_of(task, "package") != req.package.value_or("")) return false;
  if (str_of(task, "route") != req.route.value_or("")) return false;
  if (req.machine && str_of(task, "machine") != *req.machine) return false;
  if (req.platform && str_of(task, "platform") != *req.platform) return false;
  json::Value wanted = req.tags ? json::Value(*req.tags) : json::Value(json::Value::array());
  if (tag_set(task.contains("tags") ? task["tags"] : json::Value::array()) != tag_set(wanted)) return false;
  if (!req.clock.empty() && str_of(task, "clock") != clock_as_stored(req.clock)) return false;
  const std::string target = str_of(task, "target");
  if (!target.empty()) {
    const auto slash = target.find_last_of("/\\");
    if ((slash == std::string::npos ? target : target.substr(slash + 1)) != file_name) return false;
  }
  return true;
}

}  // namespace

std::optional<CachedTask> find_reusable_task(const json::Value& tasks, const planning::TaskRequest& request,
                                             const std::string& file_name) {
  if (!tasks.is_array()) return std::nullopt;
  for (const auto& task : tasks) {
    if (!task.is_object() || !task.contains("id") || !task["id"].is_number_integer()) continue;
    if (similar(task, request, file_name)) return CachedTask{task["id"].get<int64_t>(), str_of(task, "status")};
  }
  return std::nullopt;
}

}  // namespace alcape::pipeline
