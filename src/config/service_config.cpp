#include "config/service_config.hpp"

#include "core/ascii.hpp"
#include "core/yaml.hpp"
#include "data/embedded.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace alcape::config {
namespace {

// The parsed manifest base, once (embedded data: a failure is a build error, so it throws).
const json::Value& manifest() {
  static const json::Value m = [] {
    auto parsed = yaml::parse(data::file("service_manifest.base.yml"), "service_manifest.base.yml");
    if (!parsed.ok()) throw std::runtime_error(parsed.error().describe());
    return std::move(parsed).value();
  }();
  return m;
}

Error type_error(const std::string& key, const char* expected) {
  return make_error(ErrorCode::kInvalidParams, "config key '" + key + "' must be " + expected, "service config");
}

// Readers: absent → keep the default; present with the wrong type → error naming the key.
Status read(const json::Value& c, const char* key, int& out, const std::string& prefix = {}) {
  const json::Value* v = json::find(c, key);
  if (!v) return {};
  if (!v->is_number_integer()) return type_error(prefix + key, "an integer");
  out = v->get<int>();
  return {};
}
Status read(const json::Value& c, const char* key, bool& out, const std::string& prefix = {}) {
  const json::Value* v = json::find(c, key);
  if (!v) return {};
  if (!v->is_boolean()) return type_error(prefix + key, "a boolean");
  out = v->get<bool>();
  return {};
}
Status read(const json::Value& c, const char* key, std::string& out, const std::string& prefix = {}) {
  const json::Value* v = json::find(c, key);
  if (!v) return {};
  if (!v->is_string()) return type_error(prefix + key, "a string");
  out = v->get<std::string>();
  return {};
}
Status read(const json::Value& c, const char* key, std::vector<std::string>& out, const std::string& prefix = {}) {
  const json::Value* v = json::find(c, key);
  if (!v || v->is_null()) return {};  // `key:` with nothing after it in YAML means "empty"
  if (!v->is_array()) return type_error(prefix + key, "a list of strings");
  std::vector<std::string> items;
  for (const auto& item : *v) {
    if (!item.is_string()) return type_error(prefix + key, "a list of strings");
    items.push_back(item.get<std::string>());
  }
  out = std::move(items);
  return {};
}

StatusOr<Host> parse_host(const json::Value& h, size_t index) {
  const std::string key = "remote_host_details.hosts[" + std::to_string(index) + "]";
  if (!h.is_object()) return type_error(key, "a mapping");
  Host host;
  const std::string prefix = key + ".";
  for (Status st : {read(h, "ip", host.ip, prefix), read(h, "port", host.port, prefix),
                    read(h, "token", host.token, prefix),
                    read(h, "internet_connected", host.internet_connected, prefix),
                    read(h, "inetsim_connected", host.inetsim_connected, prefix),
                    read(h, "base_url", host.base_url, prefix), read(h, "verify_tls", host.verify_tls, prefix),
                    read(h, "ca_bundle", host.ca_bundle, prefix)}) {
    if (!st.ok()) return st.error();
  }
  return host;
}


const json::Value* param_spec(const std::string& name) {
  for (const auto& p : manifest()["submission_params"]) {
    if (p.value("name", "") == name) return &p;
  }
  return nullptr;
}

Error param_error(const std::string& name, const std::string& why) {
  return make_error(ErrorCode::kInvalidParams, "submission parameter '" + name + "' " + why, "submission params");
}

// Converts `value` (text from the command line) by the parameter's manifest type.
StatusOr<json::Value> convert_param(const json::Value& spec, const std::string& name, const std::string& value) {
  const std::string type = spec.value("type", "str");
  if (type == "bool") {
    const std::string l = ascii_lower(value);
    if (l == "true" || l == "1" || l == "yes" || l == "on") return json::Value(true);
    if (l == "false" || l == "0" || l == "no" || l == "off") return json::Value(false);
    return param_error(name, "must be true or false, not '" + value + "'");
  }
  if (type == "int") {
    int64_t i = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), i);
    if (ec != std::errc() || p != value.data() + value.size() || value.empty()) {
      return param_error(name, "must be an integer, not '" + value + "'");
    }
    return json::Value(i);
  }
  if (type == "list") {
    // Exact spelling first, then case-insensitively (stored in the list's spelling): the reference lower-cases
    // routing itself and compares the others exactly, so canonical spelling is what it expects.
    // specific_image also takes image names (the admin appends allowed_images to its list in Assemblyline).
    const json::Value& list = spec["list"];
    for (const auto& item : list) {
      if (item.is_string() && item.get<std::string>() == value) return json::Value(value);
    }
    for (const auto& item : list) {
      if (item.is_string() && ascii_lower(item.get<std::string>()) == ascii_lower(value)) return item;
    }
    if (name == "specific_image" && !value.empty()) return json::Value(value);
    std::string options;
    for (const auto& item : list) options += (options.empty() ? "" : ", ") + item.get<std::string>();
    return param_error(name, "must be one of [" + options + "], not '" + value + "'");
  }
  return json::Value(value);
}

}  // namespace

std::string Host::api_root() const {
  if (!base_url.empty()) {
    std::string b = base_url;
    while (!b.empty() && b.back() == '/') b.pop_back();
    return b + "/apiv2/";
  }
  return "http://" + ip + ":" + std::to_string(port) + "/apiv2/";
}

std::string Host::label() const {
  if (!base_url.empty()) return base_url;
  return ip + ":" + std::to_string(port);
}

ServiceConfig default_config() {
  auto parsed = parse_config(manifest()["config"]);
  if (!parsed.ok()) throw std::runtime_error("manifest base config: " + parsed.error().describe());
  ServiceConfig c = std::move(parsed).value();
  if (const json::Value* t = json::find(manifest(), "timeout"); t && t->is_number_integer()) {
    c.service_timeout_in_seconds = t->get<int>();
  }
  return c;
}

StatusOr<ServiceConfig> parse_config(const json::Value& config) {
  ServiceConfig c;
  if (config.is_null()) return c;
  if (!config.is_object()) return type_error("config", "a mapping");
  if (const json::Value* rhd = json::find(config, "remote_host_details")) {
    if (!rhd->is_object()) return type_error("remote_host_details", "a mapping with a `hosts` list");
    if (const json::Value* hosts = json::find(*rhd, "hosts")) {
      if (!hosts->is_array()) return type_error("remote_host_details.hosts", "a list");
      c.hosts.clear();
      for (size_t i = 0; i < hosts->size(); ++i) {
        auto h = parse_host((*hosts)[i], i);
        if (!h.ok()) return h.error();
        c.hosts.push_back(std::move(h).value());
      }
    }
  }
  for (Status s : {read(config, "connection_timeout_in_seconds", c.connection_timeout_in_seconds),
                   read(config, "rest_timeout_in_seconds", c.rest_timeout_in_seconds),
                   read(config, "connection_attempts", c.connection_attempts),
                   read(config, "enforce_routing", c.enforce_routing),
                   read(config, "routing_list", c.routing_list),
                   read(config, "uwsgi_with_recycle", c.uwsgi_with_recycle),
                   read(config, "allowed_images", c.allowed_images),
                   read(config, "multi_routing_hosts", c.multi_routing_hosts),
                   read(config, "default_analysis_timeout_in_seconds", c.default_analysis_timeout_in_seconds),
                   read(config, "max_dll_exports_exec", c.max_dll_exports_exec),
                   read(config, "machinery_supports_memory_dumps", c.machinery_supports_memory_dumps),
                   read(config, "reboot_supported", c.reboot_supported),
                   read(config, "extract_cape_dumps", c.extract_cape_dumps),
                   read(config, "uses_https_proxy_in_sandbox", c.uses_https_proxy_in_sandbox),
                   read(config, "suspicious_accepted_languages", c.suspicious_accepted_languages),
                   read(config, "recursion_limit", c.recursion_limit),
                   read(config, "random_ip_range", c.random_ip_range),
                   read(config, "inetsim_dns_servers", c.inetsim_dns_servers),
                   read(config, "token_key", c.token_key),
                   read(config, "retry_on_no_machine", c.retry_on_no_machine),
                   read(config, "limit_monitor_apis", c.limit_monitor_apis),
                   read(config, "use_antivm_packages", c.use_antivm_packages),
                   read(config, "use_process_tree_inspection", c.use_process_tree_inspection),
                   read(config, "custom_processtree_id_safelist", c.custom_processtree_id_safelist),
                   read(config, "update_period", c.update_period),
                   read(config, "round_robin_type", c.round_robin_type),
                   read(config, "delete_cape_runs", c.delete_cape_runs),
                   read(config, "service_timeout_in_seconds", c.service_timeout_in_seconds)}) {
    if (!s.ok()) return s.error();
  }
  if (const json::Value* aa = json::find(config, "auto_architecture"); aa && !aa->is_null()) {
    if (!aa->is_object()) return type_error("auto_architecture", "a mapping");
    c.auto_architecture = *aa;
  }
  return c;
}

StatusOr<ServiceConfig> load_config_file(const std::string& path) {
  auto doc = yaml::parse_file(path);
  if (!doc.ok()) return doc.error();
  const json::Value* config = &doc.value();
  if (const json::Value* inner = json::find(*config, "config"); inner && inner->is_object()) config = inner;
  if (!config->is_null() && !config->is_object()) {
    return make_error(ErrorCode::kInvalidParams, "the top level must be a mapping of config keys", path);
  }
  auto parsed = parse_config(*config);
  if (!parsed.ok()) {
    Error e = parsed.error();
    e.context = path;
    return e;
  }
  // The manifest timeout when a whole manifest was given.
  if (const json::Value* t = json::find(doc.value(), "timeout"); t && t->is_number_integer() &&
      config != &doc.value()) {
    parsed->service_timeout_in_seconds = t->get<int>();
  }
  return parsed;
}

SubmissionParams default_submission_params() {
  SubmissionParams p = json::Value::object();
  for (const auto& spec : manifest()["submission_params"]) p[spec["name"].get<std::string>()] = spec["default"];
  return p;
}

Status apply_param(SubmissionParams& params, const std::string& name, const std::string& value) {
  const json::Value* spec = param_spec(name);
  if (!spec) return param_error(name, "does not exist");
  auto v = convert_param(*spec, name, value);
  if (!v.ok()) return v.error();
  params[name] = std::move(v).value();
  return {};
}

StatusOr<SubmissionParams> parse_submission_params(const json::Value& given) {
  SubmissionParams params = default_submission_params();
  if (given.is_null()) return params;
  if (!given.is_object()) return param_error("service_config", "must be a mapping");
  for (const auto& [name, value] : given.items()) {
    const json::Value* spec = param_spec(name);
    if (!spec) continue;  // Assemblyline may pass keys of other versions of the manifest
    const std::string type = spec->value("type", "str");
    if (value.is_string()) {
      Status s = apply_param(params, name, value.get<std::string>());
      if (!s.ok()) return s.error();
    } else if (type == "bool" && value.is_boolean()) {
      params[name] = value;
    } else if (type == "int" && value.is_number_integer()) {
      params[name] = value;
    } else if (type == "bool" && value.is_number_integer()) {
      params[name] = value.get<int64_t>() != 0;
    } else {
      return param_error(name, "has a value of the wrong type: " + value.dump());
    }
  }
  return params;
}

}  // namespace alcape::config
