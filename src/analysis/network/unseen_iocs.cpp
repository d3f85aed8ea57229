// "Unseen IOCs found in API calls" (_process_unseen_iocs, _api_ioc_in_network_traffic, _massage_api_urls): hosts,
// IPs and URLs from network API calls that no DNS lookup, flow or HTTP request shows.
#include "analysis/network/network_sections_parts.hpp"
#include "analysis/network/py_values.hpp"
#include "analysis/tagging/ioc_extract.hpp"
#include "analysis/tagging/tag_helper.hpp"
#include "result/heuristic_catalog.hpp"

#include <algorithm>

namespace alcape::analysis::network {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string replace_all(std::string s, std::string_view from) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos)) s.erase(pos, from.size());
  return s;
}

// Drops the default port of http/https URLs (every ":80" / ":443" in the text, like str.replace).
std::string massage_api_url(const std::string& url) {
  if (starts_with(url, "http://") && url.find(":80") != std::string::npos) return replace_all(url, ":80");
  if (starts_with(url, "https://") && url.find(":443") != std::string::npos) return replace_all(url, ":443");
  return url;
}

std::string after_scheme(const std::string& uri) {
  size_t pos = uri.find("://");
  return pos == std::string::npos ? std::string() : uri.substr(pos + 3);
}

std::string rstrip_slashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// _handle_similar_netloc_and_path: same host and path, or the API one with an extra trailing "/".
bool similar_netloc_and_path(const std::string& api_uri, const std::string& pcap_uri) {
  std::string a = after_scheme(api_uri), p = after_scheme(pcap_uri);
  if (a == p) return true;
  return !a.empty() && a.back() == '/' && (p.empty() || p.back() != '/') && rstrip_slashes(a) == p;
}

bool ioc_in_network_traffic(const std::string& ioc, const std::vector<std::string>& seen) {
  if (std::find(seen.begin(), seen.end(), ioc) != seen.end()) return true;
  bool is_uri = matches_full_uri(ioc);
  if (is_uri && std::find(seen.begin(), seen.end(), massage_api_url(ioc)) != seen.end()) return true;
  if (!is_uri) return false;
  for (const auto& s : seen) {
    if (!matches_full_uri(s)) continue;
    // (The reference's https-vs-http check is a special case of this one.)
    if (similar_netloc_and_path(ioc, s)) return true;
  }
  return false;
}

std::vector<std::string> seen_in_traffic(const AnalysisContext& ctx) {
  std::vector<std::string> seen;
  for (const auto& d : ctx.ontology.dns_netflows()) seen.push_back(d->domain);
  for (const auto& nc : ctx.ontology.netflows()) seen.push_back(nc->destination_ip);
  for (const auto& h : ctx.ontology.http_netflows()) seen.push_back(h->request_uri);
  return seen;
}

}  // namespace

void add_unseen_iocs_section(AnalysisContext& ctx, result::Section& network_section) {
  if (!ctx.process_map.is_object()) return;
  const Safelist* safelist = ctx.params.safelist.get();
  const auto* def = result::HeuristicCatalog::builtin().find(1013);
  const std::string title = def ? def->name : "Unseen IOCs found in API calls";
  const auto seen = seen_in_traffic(ctx);

  result::Section candidates(title, result::BodyFormat::Table);
  IocExtractOptions options;
  options.enforce_char_min = true;
  options.safelist = safelist;
  options.is_network_static = true;
  for (auto it = ctx.process_map.begin(); it != ctx.process_map.end(); ++it) {
    const json::Value& calls = json::get(it.value(), "network_calls");
    if (!calls.is_array()) continue;
    for (const auto& call : calls) {
      const json::Value& args = json::get(call, "arguments");
      if (!args.is_object()) continue;
      for (auto a = args.begin(); a != args.end(); ++a) {
        if (a.key() != "HostName" && a.key() != "IP" && a.key() != "URL" && a.key() != "Proxy") continue;
        if (!a.value().is_string()) continue;
        const std::string& ioc = a.value().get_ref<const std::string&>();
        if (!ioc_in_network_traffic(ioc, seen)) extract_iocs_from_text_blob(ioc, candidates, options);
      }
    }
  }
  if (!candidates.data.is_array() || candidates.data.empty()) return;

  auto sec = std::make_unique<result::Section>(title, result::BodyFormat::Table);
  sec->set_heuristic(1013);
  for (const auto& item : candidates.data) {
    const json::Value& type = json::get(item, "ioc_type");
    if (type == json::Value("uri_path")) continue;  // paths alone say nothing here
    std::string ioc = py_str(json::get(item, "ioc"));
    if (ioc_in_network_traffic(ioc, seen)) continue;
    if (matches_full_uri(ioc)) ioc = massage_api_url(ioc);
    sec->add_row({{"ioc_type", type}, {"ioc", ioc}});
    add_tag(*sec, "network.dynamic.uri", ioc, safelist);
  }
  if (json::truthy(sec->data)) network_section.add_child(std::move(sec));
}

}  // namespace alcape::analysis::network
