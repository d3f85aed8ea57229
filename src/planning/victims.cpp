#include "planning/victims.hpp"

#include "core/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace alcape::planning {
namespace {


std::string param_string(const config::SubmissionParams& params, const char* name) {
  const json::Value* v = json::find(params, name);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

// Python's repr() of a str (ASCII control characters escaped, other characters kept).
std::string py_repr(const std::string& s) {
  const char quote = (s.find('\'') != std::string::npos && s.find('"') == std::string::npos) ? '"' : '\'';
  std::string out(1, quote);
  static const char* hex = "0123456789abcdef";
  for (unsigned char c : s) {
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + quote;
}

// Python's repr of a list of strings: ['a', 'b'].
std::string py_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += py_repr(items[i]);
  }
  return out + "]";
}

// A host holds an image when one of its machines carries it as a CAPE tag, which is what CAPE matches the
// submitted `tags=` against (deviation: the reference looks for a substring of machine names).
bool host_has_image(const HostMachines& host, const std::string& image) {
  for (const Machine& m : host.machines) {
    if (std::find(m.tags.begin(), m.tags.end(), image) != m.tags.end()) return true;
  }
  return false;
}

const json::Value& arch_entry(const json::Value& aa, const std::string& platform, const std::string& arch) {
  static const json::Value empty = json::Value::array();
  const json::Value* p = json::find(aa, platform);
  const json::Value* a = p ? json::find(*p, arch) : nullptr;
  return a ? *a : empty;
}

std::vector<std::string> from_override(const json::Value& list, const std::vector<std::string>& allowed) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (item.is_string() && std::find(allowed.begin(), allowed.end(), item.get<std::string>()) != allowed.end()) {
      out.push_back(item.get<std::string>());
    }
  }
  return out;
}

}  // namespace

std::vector<Machine> machines_from_json(const json::Value& data) {
  std::vector<Machine> out;
  if (!data.is_array()) return out;
  auto text = [](const json::Value& m, const char* key) {
    const json::Value* v = json::find(m, key);
    return v && v->is_string() ? v->get<std::string>() : std::string();
  };
  for (const auto& m : data) {
    Machine machine{text(m, "name"), text(m, "platform"), text(m, "arch"), {}};
    if (machine.name.empty()) continue;
    if (const json::Value* tags = json::find(m, "tags"); tags && tags->is_array()) {
      for (const auto& t : *tags) {
        if (t.is_string()) machine.tags.push_back(t.get<std::string>());
      }
    }
    out.push_back(std::move(machine));
  }
  return out;
}

std::string effective_routing(const config::ServiceConfig& config, const config::SubmissionParams& params) {
  std::string routing = ascii_lower(param_string(params, "routing"));
  if (config.enforce_routing &&
      std::find(config.routing_list.begin(), config.routing_list.end(), routing) == config.routing_list.end()) {
    return "inetsim";
  }
  return routing;
}

bool host_supports_routing(const config::Host& host, const std::string& routing) {
  const std::string r = ascii_lower(routing);
  if (r == "internet") return host.internet_connected;
  if (r == "inetsim") return host.inetsim_connected;
  return true;
}

std::vector<std::string> relevant_images(const std::string& al_file_type, const config::ServiceConfig& config,
                                         bool all_relevant, const std::string& routing) {
  std::string platform = "win", arch = "x64";
  const bool linux_type = contains(al_file_type, "linux");
  if (linux_type && contains(al_file_type, "64")) {
    platform = "ub";
  } else if (linux_type && contains(al_file_type, "32")) {
    platform = "ub";
    arch = "x86";
  } else if (contains(al_file_type, "windows") && contains(al_file_type, "32")) {
    arch = "x86";
  }
  const auto& allowed = config.allowed_images;
  const json::Value& entry = arch_entry(config.auto_architecture, platform, arch);
  std::vector<std::string> out;
  if (config.multi_routing_hosts) {
    const std::string conn = ascii_lower(routing) == "internet" ? "_on" : "_off";
    const json::Value* listed = json::find(entry, conn);
    if (!all_relevant && listed && listed->is_array() && !listed->empty()) return from_override(*listed, allowed);
    for (const auto& image : allowed) {
      if (contains(image, platform) && contains(image, arch) && contains(image, conn)) out.push_back(image);
    }
    return out;
  }
  if (!all_relevant && entry.is_array() && !entry.empty()) return from_override(entry, allowed);
  for (const auto& image : allowed) {
    if (contains(image, platform) && contains(image, arch)) out.push_back(image);
  }
  return out;
}

StatusOr<VictimPlan> plan_victims(const std::vector<HostMachines>& machines, const std::string& al_file_type,
                                  const config::ServiceConfig& config, const config::SubmissionParams& params) {
  VictimPlan plan;
  auto target = [](std::string label) {
    Target t;
    t.title = "Analysis Environment Target: " + label;
    t.label = std::move(label);
    return t;
  };
  auto no_machine = [&](const std::string& what, const std::string& value) -> Error {
    return make_error(ErrorCode::kNoMachine, "the requested " + what + " '" + value +
                                                 "' is currently unavailable; retrying later (retry_on_no_machine)");
  };

  // 1. A specific machine: "name", or "host-ip:name" (required when several hosts are configured).
  const std::string specific_machine = param_string(params, "specific_machine");
  if (!specific_machine.empty()) {
    std::string host_ip, name = specific_machine;
    if (size_t colon = specific_machine.find(':'); colon != std::string::npos) {
      // With one host its ip prefix is optional and not checked, like the reference.
      if (config.hosts.size() > 1) host_ip = specific_machine.substr(0, colon);
      name = specific_machine.substr(colon + 1);
    } else if (config.hosts.size() > 1) {
      return make_error(ErrorCode::kInvalidParams,
                        "specific_machine must be '<host-ip>:<machine-name>' when several CAPE hosts are configured, "
                        "not '" + specific_machine + "'");
    }
    std::vector<std::string> names;
    std::vector<size_t> hosts;
    for (const HostMachines& hm : machines) {
      if (hm.host_index >= config.hosts.size()) continue;
      if (!host_ip.empty() && config.hosts[hm.host_index].ip != host_ip) continue;
      if (host_ip.empty() && config.hosts.size() > 1) continue;
      bool here = false;
      for (const Machine& m : hm.machines) {
        names.push_back(m.name);
        here = here || m.name == name;
      }
      if (here) hosts.push_back(hm.host_index);
      if (!host_ip.empty()) break;  // the first host with that ip, like the reference
    }
    if (hosts.empty()) {
      if (config.retry_on_no_machine) return no_machine("machine", name);
      plan.missing = MissingVictim{
          "Requested Machine Does Not Exist",
          {"The requested machine '" + name + "' is currently unavailable.", "General Information:",
           "At the moment, the current machine options for this CAPE deployment include " + py_list(names) + "."}};
      return plan;
    }
    Target t = target(name);
    t.machine = name;
    t.hosts = hosts;
    plan.targets.push_back(std::move(t));
    return plan;
  }

  // 2. A platform.
  const std::string platform = param_string(params, "platform");
  if (!platform.empty() && platform != "none") {
    std::set<std::string> all_platforms;
    Target t = target(platform);
    t.platform = platform;
    for (const HostMachines& hm : machines) {
      bool here = false;
      for (const Machine& m : hm.machines) {
        all_platforms.insert(m.platform);
        here = here || m.platform == platform;
      }
      if (here) t.hosts.push_back(hm.host_index);
    }
    if (t.hosts.empty()) {
      if (config.retry_on_no_machine) return no_machine("platform", platform);
      plan.missing = MissingVictim{
          "Requested Platform Does Not Exist",
          {"The requested platform '" + platform + "' is currently unavailable.", "General Information:",
           "At the moment, the current platform options for this CAPE deployment include " +
               py_list({all_platforms.begin(), all_platforms.end()}) + "."}};
      return plan;
    }
    plan.targets.push_back(std::move(t));
    return plan;
  }

  // 3. Images (the default flow: specific_image "auto").
  const std::string image = param_string(params, "specific_image");
  if (!image.empty()) {
    std::vector<std::string> wanted;
    if (image == "auto" || image == "auto_all") {
      wanted = relevant_images(al_file_type, config, image == "auto_all", effective_routing(config, params));
    } else if (image == "all") {
      wanted = config.allowed_images;
    } else {
      wanted = {image};
    }
    const auto& allowed = config.allowed_images;
    for (const auto& img : wanted) {
      if (std::find(allowed.begin(), allowed.end(), img) == allowed.end()) continue;
      if (std::any_of(plan.targets.begin(), plan.targets.end(), [&](const Target& t) { return t.label == img; })) {
        continue;
      }
      Target t = target(img);
      t.tags = img;
      for (const HostMachines& hm : machines) {
        if (host_has_image(hm, img)) t.hosts.push_back(hm.host_index);
      }
      if (!t.hosts.empty()) plan.targets.push_back(std::move(t));
    }
    if (plan.targets.empty()) {
      const std::string msg = (image == "auto" || image == "auto_all") ? image + " (" + py_list(wanted) + ")" : image;
      if (config.retry_on_no_machine) return no_machine("image", msg);
      std::vector<std::string> available;
      for (const auto& img : allowed) {
        bool somewhere = std::any_of(machines.begin(), machines.end(),
                                     [&](const HostMachines& hm) { return host_has_image(hm, img); });
        if (somewhere && std::find(available.begin(), available.end(), img) == available.end()) {
          available.push_back(img);
        }
      }
      plan.missing = MissingVictim{
          "Requested Image Does Not Exist",
          {"The requested image '" + msg + "' is currently unavailable.", "General Information:",
           "At the moment, the current image options for this CAPE deployment include " + py_list(available) + "."}};
    }
    return plan;
  }

  // 4. Nothing requested: the first machine available on any host.
  Target t = target("First Machine Available");
  for (const HostMachines& hm : machines) t.hosts.push_back(hm.host_index);
  plan.targets.push_back(std::move(t));
  return plan;
}

}  // namespace alcape::planning
