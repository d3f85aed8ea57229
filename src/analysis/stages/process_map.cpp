#include "analysis/stages/process_map.hpp"

#include "analysis/stages/pystr.hpp"
#include "analysis/time_format.hpp"
#include "data/embedded.hpp"

#include "core/yaml.hpp"

#include <cmath>
#include <map>
#include <stdexcept>

namespace alcape::analysis {

namespace {

// One entry of data/api_calls.yaml.
struct ApiEntry {
  std::string event;
  std::string object;
  std::vector<std::pair<std::string, std::string>> arguments;  // (display name, raw argument name)
};

struct ApiTable {
  std::vector<ApiEntry> entries;
  std::map<std::string, std::vector<size_t>, std::less<>> entries_by_api;  // table order, as the reference scans
};

const ApiTable& api_table() {
  static const ApiTable table = [] {
    ApiTable t;
    auto doc = yaml::parse(data::file("api_calls.yaml"), "api_calls.yaml", yaml::ParseOptions{.scalars_as_strings = true});
    if (!doc.ok()) throw std::logic_error(doc.error().describe());  // embedded data: a build defect
    auto str = [](const json::Value& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
    for (const auto& node : doc.value()) {
      ApiEntry e;
      e.event = str(json::get(node, "event"));
      e.object = str(json::get(node, "object"));
      for (const auto& arg : json::get(node, "arguments"))
        if (arg.is_array() && arg.size() == 2) e.arguments.emplace_back(str(arg[0]), str(arg[1]));
      t.entries.push_back(std::move(e));
      for (const auto& api : json::get(node, "apis")) t.entries_by_api[str(api)].push_back(t.entries.size() - 1);
    }
    return t;
  }();
  return table;
}

// The process-map buckets, in the order of the reference's dict.
constexpr const char* kBuckets[] = {"network_calls",   "crypto_buffers", "loaded_modules", "services_events",
                                    "drivers_events",  "registry_events", "file_events",   "misc_events",
                                    "hooking_events",  "process_events",  "interprocess_comm"};

bool contains(const json::Value& list, const json::Value& item) {
  for (const auto& x : list) {
    if (py::equal(x, item)) return true;
  }
  return false;
}

// The reference's if/elif chain: each branch also requires the event to be new in its bucket, so a repeated
// event falls through to the later branches (a repeated Hooking event lands in hooking_events).
void add_to_bucket(json::Value& buckets, const ApiEntry& entry, const json::Value& event) {
  struct Branch {
    const char* bucket;
    bool matches;
  };
  const std::string& obj = entry.object;
  const std::string& ev = entry.event;
  const Branch branches[] = {
      {"network_calls", obj == "Network"},
      {"crypto_buffers", obj == "Crypt"},
      {"loaded_modules", obj == "DLL" || obj == "Function"},
      {"services_events", obj == "Service"},
      {"drivers_events", obj == "Driver"},
      {"registry_events", obj == "Registry"},
      {"file_events", obj == "File" || obj == "Dir"},
      {"misc_events", ev == "Misc"},
      {"hooking_events", ev == "Hooking" || ev == "Unhooking"},
      {"process_events", obj == "Process"},
      {"interprocess_comm", obj == "NamedPipe" || obj == "Event"},
  };
  for (const auto& b : branches) {
    if (!b.matches) continue;
    json::Value& list = buckets[b.bucket];
    if (contains(list, event)) continue;
    list.push_back(event);
    return;
  }
}

const std::vector<std::string_view> kSafelistedNetworkTags = {"network.dynamic.ip", "network.dynamic.uri",
                                                              "network.dynamic.domain"};

// The event of one call for one table entry, or null when no argument of interest is present or a network/crypto
// argument is safelisted.
json::Value call_event(const report::Call& call, const ApiEntry& entry, const Safelist* safelist) {
  const std::string category = call.category.value_or("does_not_exist");
  const bool check_safelist = category == "network" || category == "crypto";
  json::Value args = json::Value::object();
  if (call.arguments.is_array()) {
    for (const auto& arg : call.arguments) {
      auto name = json::get_string(arg, "name");
      const json::Value* value = json::find(arg, "value");
      if (!name || !value) continue;
      const std::string lowered = py::lower(*name);
      const std::string* display = nullptr;
      for (const auto& [shown, raw] : entry.arguments) {
        if (raw == lowered) {
          display = &shown;
          break;
        }
      }
      if (!display) continue;
      if (check_safelist && safelist && value->is_string() && !value->get_ref<const std::string&>().empty() &&
          safelist->is_tag_safelisted(value->get_ref<const std::string&>(), kSafelistedNetworkTags))
        return nullptr;
      args[*display] = *value;
    }
  }
  if (args.empty()) return nullptr;
  json::Value event = json::Value::object();
  event["event"] = entry.event;
  event["object"] = entry.object;
  event["api"] = call.api;
  event["arguments"] = std::move(args);
  event["source"] = "API";
  return event;
}

// first_seen: an epoch becomes local "%Y-%m-%d %H:%M:%S.mmm"; a string keeps its text with "," -> "."
// (CAPE writes "…,mmm"). Missing, zero or unusable values give null (the reference raises on those).
json::Value start_time(const json::Value& first_seen) {
  if (first_seen.is_number() && json::truthy(first_seen)) {
    auto text = epoch_to_local_with_ms(first_seen.get<double>(), 3);
    if (text) return *text;
    return nullptr;
  }
  if (first_seen.is_string()) {
    std::string s = first_seen.get<std::string>();
    for (char& c : s) {
      if (c == ',') c = '.';
    }
    return s;
  }
  return nullptr;
}

// The pid as the map key: integers (and integral floats, which Python matches to them) only.
std::optional<std::string> pid_key(const json::Value& pid) {
  if (pid.is_number_integer()) return std::to_string(pid.get<int64_t>());
  if (pid.is_number_unsigned()) return std::to_string(pid.get<uint64_t>());
  if (pid.is_number_float()) {
    double d = pid.get<double>();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.0e18) return std::to_string(static_cast<int64_t>(d));
  }
  return std::nullopt;
}

}  // namespace

void build_process_map(AnalysisContext& ctx) {
  const ApiTable& table = api_table();
  const Safelist* safelist = ctx.params.safelist.get();
  for (const report::Process& process : ctx.report.behavior.processes) {
    auto key = pid_key(json::get(process.fields, "process_id"));
    if (!key) continue;  // without a usable pid nothing can be linked to the process

    json::Value buckets = json::Value::object();
    for (const char* b : kBuckets) buckets[b] = json::Value::array();
    for (const report::Call& call : process.calls) {
      auto it = table.entries_by_api.find(call.api);
      if (it == table.entries_by_api.end()) continue;
      for (size_t index : it->second) {
        const ApiEntry& entry = table.entries[index];
        json::Value event = call_event(call, entry, safelist);
        if (!event.is_null()) add_to_bucket(buckets, entry, event);
      }
    }

    json::Value details = json::Value::object();
    details["name"] = json::get(process.fields, "process_name");
    details["image"] = json::get(process.fields, "module_path");
    details["ppid"] = json::get(process.fields, "parent_id");
    details["start_time"] = start_time(json::get(process.fields, "first_seen"));
    details["command_line"] = json::get(json::get(process.fields, "environ"), "CommandLine");
    for (auto it = buckets.begin(); it != buckets.end(); ++it) details[it.key()] = std::move(it.value());
    // A repeated pid replaces the earlier entry but keeps its place, as a dict assignment does.
    ctx.process_map[*key] = std::move(details);
  }
}

bool is_api_of_interest(std::string_view api) {
  const auto& by_api = api_table().entries_by_api;
  return by_api.find(api) != by_api.end();
}

}  // namespace alcape::analysis
