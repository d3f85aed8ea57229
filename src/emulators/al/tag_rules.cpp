// Tag validation of the 4.7 Rust service server, simplified to what matters for a sandbox service: unknown
// tag names, flat `file.rule.<x>` keys, out-of-range ports, IPv4 with leading zeros, malformed domains, URIs
// and hashes are rejected (and reported); accepted values are normalised as the server stores them.
#include "emulators/al/al_server.hpp"

#include "core/ascii.hpp"
#include "data/embedded.hpp"

#include <re2/re2.h>

#include <map>
#include <sstream>

namespace alcape::emulators::al {
namespace {

const std::map<std::string, std::string>& tag_kinds() {
  static const std::map<std::string, std::string> kinds = [] {
    std::map<std::string, std::string> m;
    std::istringstream in{std::string(data::file("al_tag_names.txt"))};
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      auto tab = line.find('\t');
      if (tab == std::string::npos) continue;
      m[line.substr(0, tab)] = line.substr(tab + 1);
    }
    return m;
  }();
  return kinds;
}


// The value as the server stores it, or nullopt when rejected.
std::optional<json::Value> check_value(const std::string& kind, const json::Value& v) {
  static const RE2 ipv4(R"(^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$)");
  static const RE2 domain(R"(^([A-Za-z0-9_\x{a1}-\x{10ffff}]([A-Za-z0-9_\x{a1}-\x{10ffff}-]{0,62}[A-Za-z0-9_\x{a1}-\x{10ffff}])?\.)+[A-Za-z\x{a1}-\x{10ffff}][A-Za-z0-9\x{a1}-\x{10ffff}-]*\.?$)");
  static const RE2 uri(R"(^[A-Za-z][A-Za-z0-9+.-]*://([^/?#\s]*@)?[^/?#\s:]+(:\d{1,5})?([/?#]\S*)?$)");
  static const RE2 uri_path(R"(^[/?#]\S*$)");
  static const RE2 hex(R"(^[a-f0-9]+$)");
  static const RE2 ssdeep(R"(^[0-9]{1,18}:[a-zA-Z0-9/+]{0,64}:[a-zA-Z0-9/+]{0,64}$)");
  static const RE2 mac(R"(^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$)");
  if (kind == "Integer") {
    long long n = 0;
    if (v.is_number_integer()) n = v.get<long long>();
    else if (v.is_boolean()) n = v.get<bool>() ? 1 : 0;
    else if (v.is_string()) {
      try { n = std::stoll(v.get<std::string>()); } catch (...) { return std::nullopt; }
    } else return std::nullopt;
    if (n < 0 || n > 65535) return std::nullopt;
    return json::Value(n);
  }
  std::string s;
  if (v.is_string()) s = v.get<std::string>();
  else if (v.is_number()) s = v.dump();
  else return std::nullopt;
  if (s.empty()) return std::nullopt;
  if (kind == "IP") {
    if (RE2::FullMatch(s, ipv4)) return json::Value(s);
    if (s.find(':') != std::string::npos && s.find_first_of(" /") == std::string::npos) {
      for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return json::Value(s);
    }
    return std::nullopt;
  }
  if (kind == "Domain") {
    if (s.find('@') != std::string::npos || !RE2::FullMatch(s, domain) || RE2::FullMatch(s, ipv4))
      return std::nullopt;
    s = ascii_lower(s);
    if (s.back() == '.') s.pop_back();
    return json::Value(s);
  }
  if (kind == "URI") return RE2::FullMatch(s, uri) ? std::optional<json::Value>(json::Value(s)) : std::nullopt;
  if (kind == "URIPath") return RE2::FullMatch(s, uri_path) ? std::optional<json::Value>(s) : std::nullopt;
  if (kind == "MD5" || kind == "SHA1" || kind == "SHA256") {
    s = ascii_lower(s);
    size_t want = kind == "MD5" ? 32 : kind == "SHA1" ? 40 : 64;
    return s.size() == want && RE2::FullMatch(s, hex) ? std::optional<json::Value>(s) : std::nullopt;
  }
  if (kind == "SSDeepHash") return RE2::FullMatch(s, ssdeep) ? std::optional<json::Value>(s) : std::nullopt;
  if (kind == "MAC") {
    s = ascii_lower(s);
    return RE2::FullMatch(s, mac) ? std::optional<json::Value>(s) : std::nullopt;
  }
  if (kind == "UpperKeyword") {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return json::Value(s);
  }
  return json::Value(s);  // Keyword and the kinds this emulator does not check further
}

void set_nested(json::Value& root, const std::vector<std::string>& path, json::Value value) {
  json::Value* node = &root;
  for (const auto& p : path) node = &(*node)[p];
  if (!node->is_array()) *node = json::Value::array();
  if (std::find(node->begin(), node->end(), value) == node->end()) node->push_back(std::move(value));
}

void walk(const json::Value& obj, std::vector<std::string>& keys, json::Value& out, std::vector<std::string>& rejected) {
  for (const auto& [k, v] : obj.items()) {
    keys.push_back(k);
    std::string name;
    for (const auto& p : keys) name += (name.empty() ? "" : ".") + p;
    if (v.is_object()) {
      walk(v, keys, out, rejected);
    } else {
      json::Value values = v.is_array() ? v : json::Value::array({v});
      std::vector<std::string> path;
      std::string kind;
      bool nested_rule = keys.size() == 3 && keys[0] == "file" && keys[1] == "rule" &&
                         keys[2].find('.') == std::string::npos;
      if (nested_rule) {
        kind = "Keyword";
        path = keys;
      } else if (auto it = tag_kinds().find(name); it != tag_kinds().end() && name != "file.rule") {
        kind = it->second;
        std::istringstream parts(name);
        for (std::string p; std::getline(parts, p, '.');) path.push_back(p);
      }
      for (const auto& value : values) {
        std::optional<json::Value> ok = kind.empty() ? std::nullopt : check_value(kind, value);
        if (ok) set_nested(out, path, *ok);
        else rejected.push_back(name + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
      }
    }
    keys.pop_back();
  }
}

}  // namespace

json::Value validate_tags(const json::Value& tags, std::vector<std::string>& rejected) {
  json::Value out = json::Value::object();
  if (!tags.is_object()) return out;
  std::vector<std::string> keys;
  walk(tags, keys, out, rejected);
  return out;
}

}  // namespace alcape::emulators::al
