#include "analysis/params.hpp"

#include "data/embedded.hpp"

#include <yaml-cpp/yaml.h>

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

// A list of strings; a plain string is accepted as a one-element list (the reference harness passed strings).
std::vector<std::string> string_list(const YAML::Node& n, const std::string& key) {
  std::vector<std::string> out;
  if (!n || n.IsNull()) return out;
  if (n.IsScalar()) {
    out.push_back(n.as<std::string>());
    return out;
  }
  if (!n.IsSequence()) throw std::runtime_error("params: `" + key + "` must be a list of strings");
  for (const auto& e : n) out.push_back(e.as<std::string>());
  return out;
}

json::Value yaml_to_json(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return nullptr;
    case YAML::NodeType::Scalar: return n.as<std::string>();
    case YAML::NodeType::Sequence: {
      json::Value a = json::Value::array();
      for (const auto& e : n) a.push_back(yaml_to_json(e));
      return a;
    }
    case YAML::NodeType::Map: {
      json::Value o = json::Value::object();
      for (const auto& kv : n) o[kv.first.as<std::string>()] = yaml_to_json(kv.second);
      return o;
    }
  }
  return nullptr;
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
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error("params file " + path + ": " + e.what());
  }
  if (!root.IsMap()) throw std::runtime_error("params file " + path + ": expected a mapping at the top level");
  ParserParams p;
  const auto base = std::filesystem::path(path).parent_path();
  try {
    if (root["routing"]) p.routing = root["routing"].as<std::string>();
    if (root["random_ip_range"]) p.random_ip_range = root["random_ip_range"].as<std::string>();
    p.inetsim_dns_servers = string_list(root["inetsim_dns_servers"], "inetsim_dns_servers");
    if (root["uses_https_proxy_in_sandbox"]) p.uses_https_proxy_in_sandbox = root["uses_https_proxy_in_sandbox"].as<bool>();
    p.suspicious_accepted_languages = string_list(root["suspicious_accepted_languages"], "suspicious_accepted_languages");
    p.custom_processtree_id_safelist = string_list(root["custom_processtree_id_safelist"], "custom_processtree_id_safelist");
    if (root["file_ext"]) p.file_ext = root["file_ext"].as<std::string>();
    if (root["timezone"]) p.timezone = root["timezone"].as<std::string>();
    if (root["machine_info"]) p.machine_info = yaml_to_json(root["machine_info"]);
    if (root["signature_map"]) p.signature_map = yaml_to_json(root["signature_map"]);
    if (p.signature_map.is_null()) p.signature_map = json::Value::object();

    SafelistData sl;
    bool any_file = false;
    for (const auto& f : string_list(root["safelist_files"], "safelist_files")) {
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
    if (root["safelist_extra"]) {
      YAML::Emitter em;
      em << root["safelist_extra"];
      sl.merge(SafelistData::from_yaml(em.c_str()));
    }
    p.safelist = std::make_shared<Safelist>(std::move(sl));
  } catch (const YAML::Exception& e) {
    throw std::runtime_error("params file " + path + ": " + e.what());
  }
  return p;
}

}  // namespace alcape::analysis
