#include "emulators/nest/scenario.hpp"

#include "core/yaml.hpp"

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

// A scenario value of the wrong type: reported as kInvalidParams naming the key.
struct BadValue {
  std::string message;
};

void convert(const json::Value& v, std::string& out) {
  if (v.is_string()) out = v.get<std::string>();
  else if (v.is_number() || v.is_boolean()) out = v.dump();  // e.g. a numeric token key
  else throw BadValue{"must be a string"};
}
void convert(const json::Value& v, bool& out) {
  if (!v.is_boolean()) throw BadValue{"must be true or false"};
  out = v.get<bool>();
}
template <typename Int, typename = std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>>>
void convert(const json::Value& v, Int& out) {
  if (!v.is_number_integer()) throw BadValue{"must be an integer"};
  out = v.get<Int>();
}
void convert(const json::Value& v, double& out) {
  if (!v.is_number()) throw BadValue{"must be a number"};
  out = v.get<double>();
}

template <typename T>
void read(const json::Value& n, const char* key, T& out) {
  const json::Value& v = json::get(n, key);
  if (v.is_null()) return;
  try {
    convert(v, out);
  } catch (const BadValue& e) {
    throw BadValue{std::string("`") + key + "` " + e.message};
  }
}

Machine parse_machine(const json::Value& n) {
  Machine m;
  read(n, "name", m.name);
  read(n, "label", m.label);
  read(n, "platform", m.platform);
  read(n, "arch", m.arch);
  read(n, "ip", m.ip);
  read(n, "reserved", m.reserved);
  const json::Value& tags = json::get(n, "tags");
  if (!tags.is_null()) {
    if (tags.is_array()) {
      for (const auto& t : tags) {
        std::string tag;
        convert(t, tag);
        m.tags.push_back(tag);
      }
    } else {
      std::string text;
      convert(tags, text);
      std::stringstream ss(text);
      for (std::string t; std::getline(ss, t, ',');)
        if (!t.empty()) m.tags.push_back(t);
    }
  }
  if (m.label.empty()) m.label = m.name;
  return m;
}

StatusOr<Fault> parse_fault(const json::Value& n, size_t index) {
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
  auto parsed = yaml::parse(text, "scenario");
  if (!parsed.ok()) return make_error(ErrorCode::kInvalidParams, "invalid scenario YAML: " + parsed.error().message);
  const json::Value& root = parsed.value();
  if (root.is_null()) return s;
  if (!root.is_object()) return make_error(ErrorCode::kInvalidParams, "a scenario must be a YAML mapping");
  auto list = [&](const char* key) -> const json::Value& {
    const json::Value& v = json::get(root, key);
    if (!v.is_null() && !v.is_array()) throw BadValue{std::string("`") + key + "` must be a list"};
    return v;
  };
  try {
    if (!json::get(root, "profile").is_null()) {
      std::string p;
      read(root, "profile", p);
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
    read(root, "enable_trim", s.enable_trim);
    read(root, "allow_ignore_size", s.allow_ignore_size);
    read(root, "demux", s.demux);
    read(root, "demux_files_limit", s.demux_files_limit);
    read(root, "uniq_submission", s.uniq_submission);
    read(root, "uniq_submission_hours", s.uniq_submission_hours);
    read(root, "throttle_counters", s.throttle_counters);
    if (!s.host_down.empty() && s.host_down != "refuse" && s.host_down != "close")
      return make_error(ErrorCode::kInvalidParams, "host_down must be refuse or close");
    if (s.throttle_counters < 1) s.throttle_counters = 1;
    if (!json::get(root, "machines").is_null()) {
      s.machines.clear();
      for (const auto& m : list("machines")) s.machines.push_back(parse_machine(m));
    }
    if (const json::Value& d = json::get(root, "durations"); d.is_object()) {
      read(d, "pending_ms", s.durations.pending_ms);
      read(d, "starting_ms", s.durations.starting_ms);
      read(d, "running_ms", s.durations.running_ms);
      read(d, "processing_ms", s.durations.processing_ms);
    }
    if (!json::get(root, "api_conf").is_null()) {
      std::string v;
      read(root, "api_conf", v);
      if (v != "cape_defaults") return make_error(ErrorCode::kInvalidParams, "api_conf must be cape_defaults");
      // conf/default/api.conf.default: these are off.
      for (const char* k : {"machinelist", "machineview", "cuckoostatus", "taskdelete"}) s.enabled[k] = false;
    }
    if (const json::Value& e = json::get(root, "enabled"); e.is_object()) {
      for (auto it = e.begin(); it != e.end(); ++it) {
        const std::string& k = it.key();
        if (std::find(kSwitches.begin(), kSwitches.end(), k) == kSwitches.end())
          return make_error(ErrorCode::kInvalidParams, "unknown api.conf switch '" + k + "'");
        bool on = true;
        convert(it.value(), on);
        s.enabled[k] = on;
      }
    }
    for (const auto& n : list("tokens")) {
      Token tok;
      if (!n.is_object()) {
        convert(n, tok.key);
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
    if (const json::Value& v = json::get(root, "report_variants"); !v.is_null()) {
      if (!v.is_object()) throw BadValue{"`report_variants` must be a mapping"};
      ReportVariants& r = s.report_variants;
      r.enabled = true;
      read(v, "seed", r.seed);
      read(v, "shuffle_keys", r.shuffle_keys);
      read(v, "null_keys", r.null_keys);
      read(v, "drop_keys", r.drop_keys);
      read(v, "non_ascii", r.non_ascii);
      read(v, "calls_multiplier", r.calls_multiplier);
      for (double p : {r.null_keys, r.drop_keys, r.non_ascii})
        if (p < 0 || p > 1) return make_error(ErrorCode::kInvalidParams, "report_variants probabilities must be in [0,1]");
      if (r.null_keys + r.drop_keys > 1)
        return make_error(ErrorCode::kInvalidParams, "report_variants: null_keys + drop_keys must not exceed 1");
      if (r.calls_multiplier < 1 || r.calls_multiplier > 100000)
        return make_error(ErrorCode::kInvalidParams, "report_variants: calls_multiplier must be in [1, 100000]");
    }
    size_t i = 0;
    for (const auto& n : list("faults")) {
      auto fault = parse_fault(n, i++);
      if (!fault.ok()) return fault.error();
      s.faults.push_back(fault.value());
    }
  } catch (const BadValue& e) {
    return make_error(ErrorCode::kInvalidParams, "invalid scenario: " + e.message);
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
