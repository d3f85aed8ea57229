#include "analysis/params.hpp"

#include "data/embedded.hpp"

#include "core/yaml.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace alcape::analysis {
namespace {

std::string read_text_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The params file is read with every scalar as text (as the harness wrote it); these convert where needed.
std::string text(const json::Value& n, const std::string& key) {
  if (n.is_string()) return n.get<std::string>();
  throw std::runtime_error("params: `" + key + "` must be a string");
}

bool boolean(const json::Value& n, const std::string& key) {
  json::Value v = n.is_string() ? yaml::resolve_plain_scalar(n.get<std::string>()) : n;
  if (v.is_boolean()) return v.get<bool>();
  throw std::runtime_error("params: `" + key + "` must be true or false");
}

// A list of strings; a plain string is accepted as a one-element list (the reference harness passed strings).
std::vector<std::string> string_list(const json::Value& n, const std::string& key) {
  std::vector<std::string> out;
  if (n.is_null()) return out;
  if (n.is_string()) return {n.get<std::string>()};
  if (!n.is_array()) throw std::runtime_error("params: `" + key + "` must be a list of strings");
  for (const auto& e : n) {
    if (!e.is_string()) throw std::runtime_error("params: `" + key + "` must be a list of strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}

}  // namespace

ParserParams default_params() {
  ParserParams p;
  SafelistData sl = SafelistData::from_yaml(data::file("system_safelist.yaml"));
  sl.merge(SafelistData::from_yaml(data::file("tag_safelist_default.yml")));
  p.safelist = std::make_shared<Safelist>(std::move(sl));
  return p;
}

ParserParams load_params_yaml(const std::string& path) {
  auto parsed = yaml::parse_file(path, yaml::ParseOptions{.scalars_as_strings = true});
  if (!parsed.ok()) throw std::runtime_error("params file " + parsed.error().describe());
  const json::Value& root = parsed.value();
  if (!root.is_object()) throw std::runtime_error("params file " + path + ": expected a mapping at the top level");
  auto get = [&](const char* key) -> const json::Value& { return json::get(root, key); };
  ParserParams p;
  const auto base = std::filesystem::path(path).parent_path();
  try {
    if (!get("routing").is_null()) p.routing = text(get("routing"), "routing");
    if (!get("random_ip_range").is_null()) p.random_ip_range = text(get("random_ip_range"), "random_ip_range");
    p.inetsim_dns_servers = string_list(get("inetsim_dns_servers"), "inetsim_dns_servers");
    if (!get("uses_https_proxy_in_sandbox").is_null())
      p.uses_https_proxy_in_sandbox = boolean(get("uses_https_proxy_in_sandbox"), "uses_https_proxy_in_sandbox");
    p.suspicious_accepted_languages = string_list(get("suspicious_accepted_languages"), "suspicious_accepted_languages");
    p.custom_processtree_id_safelist = string_list(get("custom_processtree_id_safelist"), "custom_processtree_id_safelist");
    if (!get("file_ext").is_null()) p.file_ext = text(get("file_ext"), "file_ext");
    if (!get("timezone").is_null()) p.timezone = text(get("timezone"), "timezone");
    if (!get("machine_info").is_null()) p.machine_info = get("machine_info");
    if (get("signature_map").is_object()) p.signature_map = get("signature_map");

    SafelistData sl;
    bool any_file = false;
    for (const auto& f : string_list(get("safelist_files"), "safelist_files")) {
      std::filesystem::path fp(f);
      if (fp.is_relative()) fp = base / fp;
      sl.merge(SafelistData::from_yaml(read_text_file(fp)));
      any_file = true;
    }
    if (!any_file) {
      // No file given: what a deployment following the reference's documentation has: Assemblyline's default
      // tag safelist plus the system safelist the reference suggests.
      sl.merge(SafelistData::from_yaml(data::file("system_safelist.yaml")));
      sl.merge(SafelistData::from_yaml(data::file("tag_safelist_default.yml")));
    }
    if (!get("safelist_extra").is_null()) sl.merge(SafelistData::from_value(get("safelist_extra")));
    p.safelist = std::make_shared<Safelist>(std::move(sl));
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("params file " + path + ": " + e.what());
  }
  return p;
}

}  // namespace alcape::analysis
