// TEMPORARY minimal implementations so that the tree links while the tagging module is written.
// The tagging helper replaces this file with safelist.cpp, tag_helper.cpp and ioc_extract.cpp.
#include "analysis/tagging/ioc_extract.hpp"
#include "analysis/tagging/safelist.hpp"
#include "analysis/tagging/tag_helper.hpp"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

namespace alcape::analysis {

SafelistData SafelistData::from_yaml(std::string_view text) {
  SafelistData d;
  YAML::Node root = YAML::Load(std::string(text));
  for (const char* kind : {"match", "regex"}) {
    auto& target = std::string(kind) == "match" ? d.match : d.regex;
    if (!root[kind]) continue;
    for (const auto& kv : root[kind])
      for (const auto& v : kv.second) target[kv.first.as<std::string>()].push_back(v.as<std::string>());
  }
  return d;
}

void SafelistData::merge(const SafelistData& other) {
  for (const auto& [k, v] : other.match) match[k].insert(match[k].end(), v.begin(), v.end());
  for (const auto& [k, v] : other.regex) regex[k].insert(regex[k].end(), v.begin(), v.end());
}

Safelist::Safelist() = default;
Safelist::Safelist(SafelistData data) : data_(std::move(data)) {}
Safelist::~Safelist() = default;
Safelist::Safelist(Safelist&&) noexcept = default;
Safelist& Safelist::operator=(Safelist&&) noexcept = default;

bool Safelist::is_tag_safelisted(std::string_view, const std::vector<std::string_view>&) const { return false; }
bool Safelist::contains_safelisted_value(std::string_view) const { return false; }

bool add_tag(result::Section& section, std::string_view tag_type, const json::Value& value, const Safelist*) {
  if (value.is_array()) {
    bool any = false;
    for (const auto& v : value) any = section.tags.add(tag_type, v) || any;
    return any;
  }
  return section.tags.add(tag_type, value);
}

bool is_valid_domain(std::string_view) { return true; }
bool is_valid_ip(std::string_view) { return true; }
bool matches_full_uri(std::string_view) { return true; }
bool matches_uri_path(std::string_view) { return true; }

void extract_iocs_from_text_blob(std::string_view, result::Section&, const IocExtractOptions&) {}
std::vector<std::string> find_ips(std::string_view) { return {}; }
std::vector<std::string> find_domains(std::string_view) { return {}; }
std::vector<std::string> find_urls(std::string_view) { return {}; }

}  // namespace alcape::analysis
