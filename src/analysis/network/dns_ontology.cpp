// The DNS part of load_ontology_and_result_section: one NetworkDNS and one UDP NetworkConnection to the first DNS
// server per lookup attempt.
#include "analysis/network/network_ontology.hpp"
#include "analysis/network/network_sections_parts.hpp"
#include "analysis/ontology/ids.hpp"
#include "analysis/tagging/al_regex.hpp"
#include "analysis/tagging/py_regex.hpp"
#include "analysis/tagging/tag_helper.hpp"

namespace alcape::analysis::network {

namespace {

struct ResolvedAnswers {
  std::vector<std::string> ips, domains, all;
};

ResolvedAnswers sort_answers(const json::Value& answers) {
  ResolvedAnswers r;
  if (!answers.is_array()) return r;
  for (const auto& answer : answers) {
    const json::Value& data = json::get(answer, "answer");
    if (!data.is_string()) continue;  // the reference would raise on a non-string answer
    const std::string& a = data.get_ref<const std::string&>();
    r.all.push_back(a);
    if (is_valid_ip(a) || al_regex(AlRegex::IP_REGEX).search(a))
      r.ips.push_back(a);
    else if (is_valid_domain(a))
      r.domains.push_back(a);
  }
  return r;
}

ontology::NetworkDNSPtr create_dns(AnalysisContext& ctx, const std::string& request, const json::Value& type,
                                   const json::Value& answers) {
  if (!type.is_string()) return nullptr;
  ResolvedAnswers r = sort_answers(answers);
  std::optional<std::vector<std::string>> ips, domains;
  if (!r.ips.empty()) ips = r.ips;
  if (!r.domains.empty()) domains = r.domains;
  if (!ips && !domains) {
    // Answers that are neither IPs nor domains (SOA, TXT, ...) are kept as "resolved IPs"; none gives [""].
    if (r.all.empty()) r.all.push_back("");
    ips = r.all;
  }
  return ctx.ontology.create_network_dns(request, ips, domains, type.get<std::string>());
}

}  // namespace

void add_dns_ontology(AnalysisContext& ctx, ConnectionListing& listing) {
  if (!ctx.dns_requests.is_object()) return;
  const Safelist* safelist = ctx.params.safelist.get();
  const std::string session = sandbox_session(ctx);
  for (auto it = ctx.dns_requests.begin(); it != ctx.dns_requests.end(); ++it) {
    const std::string& request = it.key();
    if (safelist && safelist->contains_safelisted_value(request)) continue;
    if (!it.value().is_array()) continue;
    for (const auto& attempt : it.value()) {
      auto nd = create_dns(ctx, request, json::get(attempt, "type"), json::get(attempt, "answers"));
      if (!nd) continue;
      json::Value destination_ip =
          ctx.dns_servers.is_array() && !ctx.dns_servers.empty() ? ctx.dns_servers[0] : json::Value();
      json::Value oid_data = {{"destination_ip", destination_ip},
                              {"destination_port", 53},
                              {"transport_layer_protocol", "udp"},
                              {"connection_type", "dns"},
                              {"dns_details", nd->as_primitives()},
                              {"lookup_type", json::get(attempt, "type")}};
      ontology::ObjectIDFields fields;
      fields.session = session;
      fields.time_observed = as_opt_string(json::get(attempt, "time"));
      auto objectid = ctx.ontology.create_objectid(
          ontology::network_connection_tag({{"destination_ip", destination_ip}, {"destination_port", 53}}),
          ontology::network_connection_oid(oid_data), fields);
      if (!objectid) continue;
      objectid->guid = ctx.ontology.random_guid();

      ontology::NetworkConnection proto;
      proto.objectid = objectid;
      proto.destination_ip = destination_ip.is_string() ? destination_ip.get<std::string>() : std::string();
      proto.destination_port = 53;
      proto.transport_layer_protocol = ontology::NetworkConnection::kUdp;
      proto.direction = ontology::NetworkConnection::kOutbound;
      proto.dns_details = nd;
      proto.connection_type = std::string(ontology::NetworkConnection::kDns);
      auto nc = ctx.ontology.create_network_connection(std::move(proto));
      if (!nc) continue;

      const json::Value& pid = json::get(attempt, "process_id");
      auto p = ctx.ontology.get_process_by_guid(as_opt_string(json::get(attempt, "guid")));
      if (!p) p = ctx.ontology.get_process_by_pid_and_time(as_pid(pid), nc->objectid->time_observed);
      if (p) nc->set_process(p);
      ctx.ontology.add_network_connection(nc);
      ctx.ontology.add_network_dns(nd);
      link_connection_process(ctx, *nc, pid, json::get(attempt, "process_name"));

      listing.add(ctx, *nc, connection_event_dict(*nc, json::get(attempt, "sources")));
    }
  }
}

}  // namespace alcape::analysis::network
