// "TCP/UDP Network Traffic" with its flow connections (_create_network_connection_for_network_flow) and
// "Non-HTTP Traffic Over HTTP Ports" (_process_non_http_traffic_over_http).
#include "analysis/network/network_ontology.hpp"
#include "analysis/network/network_sections_parts.hpp"
#include "analysis/ontology/ids.hpp"
#include "analysis/tagging/tag_helper.hpp"
#include "analysis/time_format.hpp"

#include <algorithm>

namespace alcape::analysis::network {

namespace {

const std::vector<std::string> kFlowColumns = {"timestamp", "protocol", "src_ip",  "src_port", "domain",
                                               "dest_ip",   "dest_port", "image", "pid"};

std::string analysis_start_time(const AnalysisContext& ctx) {
  const json::Value& start =
      json::get(json::get(json::get(ctx.process_events, "analysis_information"), "analysis_metadata"), "start_time");
  if (start.is_string()) return start.get<std::string>();
  const auto& sandboxes = ctx.ontology.sandboxes();
  return sandboxes.empty() ? std::string() : sandboxes.back()->analysis_metadata.start_time;
}

// The flow time (seconds since the capture started) as a local time after the analysis start.
json::Value flow_time(const json::Value& seconds, const std::string& start_time) {
  if (!seconds.is_number()) return nullptr;
  auto t = add_seconds_to_local_with_ms(start_time, seconds.get<double>());
  return t ? json::Value(*t) : json::Value();
}

ontology::NetworkConnectionPtr create_flow_connection(AnalysisContext& ctx, const json::Value& flow,
                                                      const std::string& session) {
  const json::Value& dport = flow["dest_port"];
  json::Value type;  // only used for the ontology id: the object itself has no connection type
  if (dport == json::Value(80) || dport == json::Value(443))
    type = "http";
  else if (dport == json::Value(53))
    type = "dns";
  json::Value oid_data = {{"source_ip", flow["src_ip"]},   {"source_port", flow["src_port"]},
                          {"destination_ip", flow["dest_ip"]}, {"destination_port", dport},
                          {"transport_layer_protocol", flow["protocol"]}, {"connection_type", type}};
  ontology::ObjectIDFields fields;
  fields.session = session;
  fields.time_observed = as_opt_string(flow["timestamp"]);
  auto objectid = ctx.ontology.create_objectid(
      ontology::network_connection_tag({{"destination_ip", flow["dest_ip"]}, {"destination_port", dport}}),
      ontology::network_connection_oid(oid_data), fields);
  if (!objectid || !flow["dest_ip"].is_string() || !as_pid(dport)) return nullptr;
  objectid->guid = ctx.ontology.random_guid();

  ontology::NetworkConnection proto;
  proto.objectid = objectid;
  proto.source_ip = as_opt_string(flow["src_ip"]);
  proto.source_port = as_pid(flow["src_port"]);
  proto.destination_ip = flow["dest_ip"].get<std::string>();
  proto.destination_port = *as_pid(dport);
  proto.transport_layer_protocol = flow["protocol"].get<std::string>();
  proto.direction = ontology::NetworkConnection::kOutbound;
  auto nc = ctx.ontology.create_network_connection(std::move(proto));
  if (!nc) return nullptr;

  const json::Value& image = flow["image"];
  if (json::truthy(image) && image.is_string()) {
    // A stub process the ontology resolves to the real one (by GUID, or pid and time) when the flow is added.
    auto tag = ontology::Process::create_objectid_tag(image.get<std::string>());
    ontology::ObjectIDFields pfields;
    pfields.guid = as_opt_string(flow["guid"]);
    pfields.session = session;
    auto p_objectid = ctx.ontology.create_objectid(
        tag.value_or(""), ontology::process_oid({{"pid", flow["pid"]}, {"image", image}}), pfields);
    ontology::ProcessFields pf;
    pf.pid = as_pid(flow["pid"]);
    pf.image = image.get<std::string>();
    pf.start_time = as_opt_string(flow["timestamp"]);
    nc->update_process(pf, p_objectid);
  }
  ctx.ontology.add_network_connection(nc);
  return nc;
}

// The connection dict of a flow: without an ontology process, the flow's pid.
json::Value flow_event_dict(const ontology::NetworkConnection& nc, const json::Value& flow) {
  json::Value d = connection_event_dict(nc, flow["sources"]);
  if (!json::truthy(json::get(d, "process")) && json::truthy(flow["pid"])) d["process"] = flow["pid"];
  return d;
}

}  // namespace

json::Value add_flow_section(AnalysisContext& ctx, result::Section& network_section, ConnectionListing& listing) {
  json::Value unique = json::Value::array();
  if (!ctx.low_level_flows.is_array()) return unique;
  const Safelist* safelist = ctx.params.safelist.get();
  const std::string session = sandbox_session(ctx);
  const std::string start_time = analysis_start_time(ctx);
  auto sec = std::make_unique<result::Section>("TCP/UDP Network Traffic", result::BodyFormat::Table);
  sec->set_column_order(kFlowColumns);
  bool tcp_seen = false, udp_seen = false;
  for (auto flow : ctx.low_level_flows) {
    add_tag(*sec, "network.dynamic.domain", flow["domain"]);
    add_tag(*sec, "network.protocol", flow["protocol"]);
    add_tag(*sec, "network.dynamic.ip", flow["dest_ip"], safelist);
    add_tag(*sec, "network.dynamic.ip", flow["src_ip"], safelist);
    add_tag(*sec, "network.port", flow["dest_port"]);
    add_tag(*sec, "network.port", flow["src_port"]);
    flow["timestamp"] = flow_time(flow["timestamp"], start_time);
    auto nc = create_flow_connection(ctx, flow, session);
    if (!nc) continue;
    link_connection_process(ctx, *nc, flow["pid"], flow["image"]);
    listing.add(ctx, *nc, flow_event_dict(*nc, flow));
    if (std::find(unique.begin(), unique.end(), flow) == unique.end()) {
      unique.push_back(flow);
      sec->add_row(flow);
      if (flow["protocol"] == json::Value("tcp")) tcp_seen = true;
      if (flow["protocol"] == json::Value("udp")) udp_seen = true;
    }
  }
  if (tcp_seen) {
    auto& s = sec->add_child("TCP Network Traffic Detected");
    s.auto_collapse = true;
    s.set_heuristic(1010);
  }
  if (udp_seen) {
    auto& s = sec->add_child("UDP Network Traffic Detected");
    s.auto_collapse = true;
    s.set_heuristic(1011);
  }
  // Added even without any flow, like the reference.
  sec->set_heuristic(1004);
  network_section.add_child(std::move(sec));
  return unique;
}

void add_non_http_traffic_section(result::Section& network_section, const json::Value& unique_netflows) {
  auto sec = std::make_unique<result::Section>("Non-HTTP Traffic Over HTTP Ports", result::BodyFormat::Table);
  sec->set_column_order(kFlowColumns);
  std::vector<json::Value> rows;
  for (const auto& flow : unique_netflows) {
    const json::Value& dport = json::get(flow, "dest_port");
    if (dport != json::Value(443) && dport != json::Value(80)) continue;
    rows.push_back(flow);
    add_tag(*sec, "network.dynamic.ip", json::get(flow, "dest_ip"));
    add_tag(*sec, "network.dynamic.domain", json::get(flow, "domain"));
    add_tag(*sec, "network.port", dport);
  }
  if (rows.empty()) return;
  sec->set_heuristic(1005);
  for (auto& row : rows) sec->add_row(std::move(row));
  network_section.add_child(std::move(sec));
}

}  // namespace alcape::analysis::network
