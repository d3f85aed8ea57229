#include "emulators/nest/scenario.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace alcape::emulators::nest {

std::vector<Machine> default_machines() {
  return {
      Machine{"win10x64", "win10x64", "windows", "x64", "192.168.122.10", {"win10x64"}, false},
      Machine{"win7x86", "win7x86", "windows", "x86", "192.168.122.11", {"win7x86"}, false},
      Machine{"ub22x64", "ub22x64", "linux", "x64", "192.168.122.12", {"ub22x64"}, false},
  };
}

const std::vector<std::string>& fault_kinds() {
  static const std::vector<std::string> kinds = {
      "reset",          "close",         "delay",         "http_status",       "error_200",
      "throttle",       "task_not_found", "failed_analysis", "failed_processing", "failed_reporting",
      "slow_report",    "missing_lite",  "truncated_zip", "zip_traversal",     "zip_bomb",
      "no_analysis_dir", "machine_missing", "banned",        "recovered"};
  return kinds;
}

const std::vector<std::string>& endpoint_names() {
  static const std::vector<std::string> names = {
      "cuckoo/status", "machines/list", "machines/view", "tasks/search", "tasks/create/file", "tasks/view",
      "tasks/status",  "tasks/report",  "tasks/delete",  "tasks/reboot", "other"};
  return names;
}

bool Scenario::is_enabled(const std::string& section) const {
  auto it = enabled.find(section);
  return it == enabled.end() || it->second;
}

namespace {

const std::vector<std::string> kSwitches = {"filecreate", "tasksearch",  "taskview",    "taskstatus",  "taskreport",
                                            "taskdelete", "machinelist", "machineview", "cuckoostatus"};

template <typename T>
void read(const YAML::Node& n, const char* key, T& out) {
  if (n[key]) out = n[key].as<T>();
}

Machine parse_machine(const YAML::Node& n) {
  Machine m;
  read(n, "name", m.name);
  read(n, "label", m.label);
  read(n, "platform", m.platform);
  read(n, "arch", m.arch);
  read(n, "ip", m.ip);
  read(n, "reserved", m.reserved);
  if (n["tags"]) {
    if (n["tags"].IsSequence()) {
      for (const auto& t : n["tags"]) m.tags.push_back(t.as<std::string>());
    } else {
      std::stringstream ss(n["tags"].as<std::string>());
      for (std::string t; std::getline(ss, t, ',');)
        if (!t.empty()) m.tags.push_back(t);
    }
  }
  if (m.label.empty()) m.label = m.name;
  return m;
}

StatusOr<Fault> parse_fault(const YAML::Node& n, size_t index) {
  Fault f;
  read(n, "endpoint", f.endpoint);
  read(n, "kind", f.kind);
  read(n, "skip", f.skip);
  read(n, "times", f.times);
  read(n, "per_task", f.per_task);
  read(n, "delay_ms", f.delay_ms);
  read(n, "status", f.status);
  read(n, "message", f.message);
  read(n, "after_bytes", f.after_bytes);
  read(n, "fraction", f.fraction);
  read(n, "retry_after", f.retry_after);
  read(n, "machine", f.machine);
  read(n, "bomb_mb", f.bomb_mb);
  read(n, "bytes_per_second", f.bytes_per_second);
  const std::string where = "faults[" + std::to_string(index) + "]";
  const auto& kinds = fault_kinds();
  if (std::find(kinds.begin(), kinds.end(), f.kind) == kinds.end())
    return make_error(ErrorCode::kInvalidParams, "unknown fault kind '" + f.kind + "'", where);
  const auto& eps = endpoint_names();
  if (f.endpoint != "any" && std::find(eps.begin(), eps.end(), f.endpoint) == eps.end())
    return make_error(ErrorCode::kInvalidParams, "unknown endpoint '" + f.endpoint + "'", where);
  if (f.skip < 0 || f.times < 0) return make_error(ErrorCode::kInvalidParams, "skip/times must be >= 0", where);
  if (f.fraction < 0 || f.fraction > 1) return make_error(ErrorCode::kInvalidParams, "fraction must be in [0,1]", where);
  return f;
}

}  // namespace

StatusOr<Scenario> Scenario::from_yaml(const std::string& text) {
  Scenario s;
  try {
    YAML::Node root = YAML::Load(text);
    if (!root || root.IsNull()) return s;
    if (!root.IsMap()) return make_error(ErrorCode::kInvalidParams, "a scenario must be a YAML mapping");
    if (root["profile"]) {
      const auto p = root["profile"].as<std::string>();
      if (p == "2025") s.profile = Profile::k2025;
      else if (p == "2026" || p == "head") s.profile = Profile::k2026;
      else return make_error(ErrorCode::kInvalidParams, "profile must be 2025 or 2026, not '" + p + "'");
    }
    read(root, "multitenancy", s.multitenancy);
    read(root, "reboot_endpoint", s.reboot_endpoint);
    read(root, "hostname", s.hostname);
    read(root, "api_url", s.api_url);
    read(root, "fallback_sample", s.fallback_sample);
    read(root, "host_down", s.host_down);
    read(root, "first_task_id", s.first_task_id);
    read(root, "max_sample_size", s.max_sample_size);
    read(root, "max_upload_bytes", s.max_upload_bytes);
    read(root, "uniq_submission", s.uniq_submission);
    read(root, "uniq_submission_hours", s.uniq_submission_hours);
    read(root, "throttle_counters", s.throttle_counters);
    if (!s.host_down.empty() && s.host_down != "refuse" && s.host_down != "close")
      return make_error(ErrorCode::kInvalidParams, "host_down must be refuse or close");
    if (s.throttle_counters < 1) s.throttle_counters = 1;
    if (root["machines"]) {
      s.machines.clear();
      for (const auto& m : root["machines"]) s.machines.push_back(parse_machine(m));
    }
    if (auto d = root["durations"]) {
      read(d, "pending_ms", s.durations.pending_ms);
      read(d, "starting_ms", s.durations.starting_ms);
      read(d, "running_ms", s.durations.running_ms);
      read(d, "processing_ms", s.durations.processing_ms);
    }
    if (root["api_conf"]) {
      const auto v = root["api_conf"].as<std::string>();
      if (v != "cape_defaults") return make_error(ErrorCode::kInvalidParams, "api_conf must be cape_defaults");
      // conf/default/api.conf.default: these are off.
      for (const char* k : {"machinelist", "machineview", "cuckoostatus", "taskdelete"}) s.enabled[k] = false;
    }
    if (auto e = root["enabled"]) {
      for (const auto& kv : e) {
        const auto k = kv.first.as<std::string>();
        if (std::find(kSwitches.begin(), kSwitches.end(), k) == kSwitches.end())
          return make_error(ErrorCode::kInvalidParams, "unknown api.conf switch '" + k + "'");
        s.enabled[k] = kv.second.as<bool>();
      }
    }
    if (auto t = root["tokens"]) {
      for (const auto& n : t) {
        Token tok;
        if (n.IsScalar()) {
          tok.key = n.as<std::string>();
        } else {
          read(n, "key", tok.key);
          read(n, "staff", tok.staff);
          read(n, "rate", tok.rate);
          read(n, "state", tok.state);
        }
        if (!tok.state.empty() && tok.state != "revoked" && tok.state != "inactive" && tok.state != "forbidden")
          return make_error(ErrorCode::kInvalidParams, "token state must be revoked, inactive or forbidden");
        if (tok.key.empty()) return make_error(ErrorCode::kInvalidParams, "a token needs a key");
        s.tokens.push_back(tok);
      }
    }
    if (auto f = root["faults"]) {
      size_t i = 0;
      for (const auto& n : f) {
        auto fault = parse_fault(n, i++);
        if (!fault.ok()) return fault.error();
        s.faults.push_back(fault.value());
      }
    }
  } catch (const YAML::Exception& e) {
    return make_error(ErrorCode::kInvalidParams, std::string("invalid scenario YAML: ") + e.what());
  }
  return s;
}

StatusOr<Scenario> Scenario::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kUnreadable, "cannot read scenario file", path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto s = from_yaml(ss.str());
  if (!s.ok()) return make_error(s.error().code, s.error().message, path);
  return s;
}

}  // namespace alcape::emulators::nest
