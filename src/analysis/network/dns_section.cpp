// "Non-Standard DNS Server Used", "Protocol: DNS" (_get_dns_sec) and "Non-Standard DNS Query Used".
#include "analysis/network/ip_network.hpp"
#include "analysis/network/network_sections_parts.hpp"
#include "analysis/network/py_values.hpp"
#include "analysis/stages/network_map.hpp"
#include "analysis/tagging/tag_helper.hpp"
#include "result/heuristic_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace alcape::analysis::network {

std::unique_ptr<result::Section> heuristic_text_section(int heur_id) {
  const auto* def = result::HeuristicCatalog::builtin().find(heur_id);
  auto sec = std::make_unique<result::Section>(def ? def->name : std::string(), result::BodyFormat::Text);
  sec->set_heuristic(heur_id);
  if (def && !def->description.empty()) sec->add_line(def->description);
  return sec;
}

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool is_all_digits(const json::Value& v) {
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) return false;
  for (unsigned char c : v.get_ref<const std::string&>())
    if (!std::isdigit(c)) return false;
  return true;
}

// DNS servers that are neither INetSim's nor in its range, when the task is routed through INetSim.
void add_dns_server_section(AnalysisContext& ctx, result::Section& network_section) {
  if (!ctx.dns_servers.is_array()) return;
  auto sec = heuristic_text_section(1008);
  auto range = IpNetwork::parse(ctx.params.random_ip_range);
  const auto inetsim_servers = effective_inetsim_dns_servers(ctx.params);
  bool hit = false;
  for (const auto& server : ctx.dns_servers) {
    if (!add_tag(*sec, "network.dynamic.ip", server, ctx.params.safelist.get())) continue;
    std::string ip = py_str(server);
    if (range && range->contains(ip)) continue;
    if (lower(ctx.params.routing) != "inetsim") continue;
    if (std::find(inetsim_servers.begin(), inetsim_servers.end(), ip) != inetsim_servers.end()) continue;
    sec->add_line("\t-\t" + ip);
    hit = true;
  }
  if (hit) network_section.add_child(std::move(sec));
}

}  // namespace

std::unique_ptr<result::Section> make_dns_table(const json::Value& dns_requests, const Safelist* safelist) {
  if (!dns_requests.is_object() || dns_requests.empty()) return nullptr;
  auto sec = std::make_unique<result::Section>("Protocol: DNS", result::BodyFormat::Table);
  sec->set_column_order({"domain", "answer", "type"});
  sec->set_heuristic(1000);
  add_tag(*sec, "network.protocol", "dns");
  bool answer_exists = false;
  std::set<std::string> non_standard_types;
  std::vector<json::Value> rows;
  for (auto it = dns_requests.begin(); it != dns_requests.end(); ++it) {
    const json::Value request = it.key();
    if (!it.value().is_array()) continue;
    for (const auto& attempt : it.value()) {
      const json::Value& type = json::get(attempt, "type");
      const json::Value& answers_field = json::get(attempt, "answers");
      if (answers_field.is_null()) continue;
      json::Value answers = answers_field.is_array() ? answers_field : json::Value::array({answers_field});
      for (const auto& answer : answers) {
        const json::Value& data = json::get(answer, "answer");
        add_tag(*sec, "network.dynamic.ip", data, safelist);
        if (add_tag(*sec, "network.dynamic.domain", request, safelist)) {
          // All-digit answers (e.g. some TXT records) are not shown.
          if (is_all_digits(data))
            rows.push_back({{"domain", request}, {"type", type}});
          else
            rows.push_back({{"domain", request}, {"answer", data}, {"type", type}});
        }
        answer_exists = true;
      }
      if (json::truthy(type)) {
        std::string t = py_str(type);
        if (t != "PTR" && t != "A" && t != "AAAA") non_standard_types.insert(t);
      }
    }
  }
  for (auto& row : rows) sec->add_row(std::move(row));

  if (!answer_exists) {
    auto& down = sec->add_child("DNS services are down!");
    down.add_line("Contact the CAPE administrator for details.");
  }
  if (!non_standard_types.empty()) {
    auto query_sec = heuristic_text_section(1009);
    for (const auto& t : non_standard_types) query_sec->add_line("\t-\t" + t);
    sec->add_child(std::move(query_sec));
  }
  return sec;
}

void add_dns_sections(AnalysisContext& ctx, result::Section& network_section) {
  add_dns_server_section(ctx, network_section);
  auto dns_sec = make_dns_table(ctx.dns_requests, ctx.params.safelist.get());
  // Attached only when at least one requested domain was tagged.
  if (dns_sec && dns_sec->tags.values("network.dynamic.domain")) network_section.add_child(std::move(dns_sec));
}

}  // namespace alcape::analysis::network
