// "Protocol: HTTP/HTTPS" and its subsections ("Access Remote File", "IOCs found in HTTP/HTTPS Headers",
// "Suspicious User Agent(s)", "Non-Standard HTTP Headers"), with the NetworkHTTP objects and their connections
// (_setup_network_connection_with_network_http, _create_network_http, _create_network_connection_for_http_call).
#include "analysis/network/http_headers.hpp"
#include "analysis/network/network_ontology.hpp"
#include "analysis/network/network_sections_parts.hpp"
#include "analysis/network/py_values.hpp"
#include "analysis/ontology/ids.hpp"
#include "analysis/tagging/ioc_extract.hpp"
#include "analysis/tagging/tag_helper.hpp"

#include <algorithm>

namespace alcape::analysis::network {

namespace {

// A new TCP connection carrying the HTTP details, for a call no flow explains.
ontology::NetworkConnectionPtr create_http_connection(AnalysisContext& ctx, const json::Value& call,
                                                      const ontology::NetworkHTTPPtr& nh) {
  if (ctx.ontology.sandboxes().empty()) return nullptr;
  const json::Value& dst = call["dst"];
  const json::Value& port = call["port"];
  json::Value oid_data = {{"source_ip", json::get(call, "src")},
                          {"source_port", json::get(call, "sport")},
                          {"destination_ip", dst},
                          {"destination_port", port},
                          {"transport_layer_protocol", "tcp"},
                          {"connection_type", "http"},
                          {"http_details.request_uri", json::get(call, "request_uri")}};
  ontology::ObjectIDFields fields;
  fields.session = sandbox_session(ctx);
  auto objectid = ctx.ontology.create_objectid(
      ontology::network_connection_tag({{"destination_ip", dst}, {"destination_port", port}}),
      ontology::network_connection_oid(oid_data), fields);
  if (!objectid || !dst.is_string() || !as_pid(port)) return nullptr;
  ontology::NetworkConnection proto;
  proto.objectid = objectid;
  proto.destination_ip = dst.get<std::string>();
  proto.destination_port = *as_pid(port);
  proto.transport_layer_protocol = ontology::NetworkConnection::kTcp;
  proto.direction = ontology::NetworkConnection::kOutbound;
  proto.source_ip = as_opt_string(json::get(call, "src"));
  proto.source_port = as_pid(json::get(call, "sport"));
  proto.http_details = nh;
  proto.connection_type = std::string(ontology::NetworkConnection::kHttp);
  auto nc = ctx.ontology.create_network_connection(std::move(proto));
  if (nc) ctx.ontology.add_network_connection(nc);
  return nc;
}

// The first outbound TCP flow to the call's destination (port 80 also matches 443, as the reference's lookup
// does) that carries no HTTP request yet. (The reference took the first flow even when it already carried another
// request, so later requests to the same host were attached to no connection: D-network-10.)
ontology::NetworkConnectionPtr free_flow_connection(AnalysisContext& ctx, const json::Value& call) {
  if (!call["dst"].is_string() || !as_pid(call["port"])) return nullptr;
  const std::string& dst = call["dst"].get_ref<const std::string&>();
  const int64_t port = *as_pid(call["port"]);
  for (const auto& nc : ctx.ontology.netflows()) {
    bool port_ok = nc->destination_port == port || (port == 80 && nc->destination_port == 443);
    if (nc->destination_ip == dst && port_ok && nc->direction == ontology::NetworkConnection::kOutbound &&
        nc->transport_layer_protocol == ontology::NetworkConnection::kTcp && !nc->http_details)
      return nc;
  }
  return nullptr;
}

// The connection of an HTTP call: the existing one for identical HTTP details, else a new NetworkHTTP attached to
// a free TCP flow to the same destination (or to a new connection). `created` tells whether the
// NetworkHTTP is new.
ontology::NetworkConnectionPtr connection_for_call(AnalysisContext& ctx, const json::Value& call,
                                                   ontology::NetworkHTTPPtr& nh, bool& created) {
  const std::string uri = py_str(call["uri"]);
  const std::string method = call["method"].is_string() ? call["method"].get<std::string>() : std::string();
  nh = ctx.ontology.get_network_http_by_details(uri, method, call["request_headers"]);
  created = false;
  if (nh) return ctx.ontology.get_network_connection_by_network_http(nh);
  ontology::NetworkHTTP proto;
  proto.request_uri = uri;
  proto.request_method = method;
  proto.request_headers = call["request_headers"];
  proto.response_headers = call["response_headers"];
  proto.response_status_code = as_pid(json::get(call, "status"));
  proto.request_body_path = as_opt_string(call["request_body_path"]);
  proto.response_body_path = as_opt_string(call["response_body_path"]);
  nh = ctx.ontology.create_network_http(std::move(proto));
  if (!nh) return nullptr;
  created = true;
  // A call whose destination is unknown gets no connection (D-network-2).
  if (!json::truthy(call["dst"])) return nullptr;
  if (auto flow = free_flow_connection(ctx, call)) {
    flow->update_details(nh, std::string(ontology::NetworkConnection::kHttp));
    return flow;
  }
  return create_http_connection(ctx, call, nh);
}

struct HttpSubsections {
  std::unique_ptr<result::Section> header_iocs, remote_files, user_agents, header_anomalies;
  std::vector<json::Value> user_agents_used;
  std::vector<std::string> downloads;
};

bool contains_row(const json::Value& table, const json::Value& row) {
  return table.is_array() && std::find(table.begin(), table.end(), row) != table.end();
}

void add_call_findings(AnalysisContext& ctx, const json::Value& call, HttpSubsections& subs) {
  const Safelist* safelist = ctx.params.safelist.get();
  if (call["request_headers"].is_object()) {
    IocExtractOptions ioc_options;
    ioc_options.is_network_static = true;
    for (const auto& value : call["request_headers"])
      if (value.is_string()) extract_iocs_from_text_blob(value.get<std::string>(), *subs.header_iocs, ioc_options);
  }
  if (json::truthy(call["download"])) {
    // One line per downloaded URI, each tagged ([ddc] wrote a literal f-string line once: D-network-1).
    const std::string line = "\t" + py_str(call["uri"]);
    bool listed = std::find(subs.downloads.begin(), subs.downloads.end(), line) != subs.downloads.end();
    if (!listed) {
      subs.downloads.push_back(line);
      subs.remote_files->add_line(line);
      add_tag(*subs.remote_files, "network.dynamic.uri", call["uri"], safelist);
    }
    if (!subs.remote_files->heuristic) subs.remote_files->set_heuristic(1003);
  }
  if (json::truthy(call["Suspicious_agent"])) {
    if (!subs.user_agents->heuristic) subs.user_agents->set_heuristic(1007);
    const json::Value& ua = call["user-agent"];
    if (std::find(subs.user_agents_used.begin(), subs.user_agents_used.end(), ua) == subs.user_agents_used.end()) {
      add_tag(*subs.user_agents, "network.user_agent", ua, safelist);
      subs.user_agents->add_line("\t" + py_str(ua));
      subs.user_agents_used.push_back(ua);
    }
    // Only requests with a suspicious user agent are inspected for their headers, as in the reference.
    const json::Value& languages = call["Flagged_language"];
    if (languages.is_array())
      for (const auto& lang : languages)
        if (!subs.header_anomalies->heuristic->has_signature(language_signature(py_str(lang))))
          subs.header_anomalies->heuristic->add_signature_id(language_signature(py_str(lang)), 750);
    const json::Value& headers = call["Non_standard_request_headers"];
    if (headers.is_object())
      for (auto it = headers.begin(); it != headers.end(); ++it) {
        json::Value row = {{"header", it.key()}, {"header_value", it.value()}};
        if (!contains_row(subs.header_anomalies->data, row)) subs.header_anomalies->add_row(std::move(row));
      }
  }
}

}  // namespace

void add_http_section(AnalysisContext& ctx, result::Section& network_section, const json::Value& unique_netflows,
                      ConnectionListing& listing) {
  auto http_sec = std::make_unique<result::Section>("Protocol: HTTP/HTTPS", result::BodyFormat::Table);
  HttpSubsections subs;
  subs.header_iocs = std::make_unique<result::Section>("IOCs found in HTTP/HTTPS Headers", result::BodyFormat::Table);
  subs.remote_files = std::make_unique<result::Section>("Access Remote File");
  subs.remote_files->add_line("The sample attempted to download the following files:");
  subs.user_agents = std::make_unique<result::Section>("Suspicious User Agent(s)");
  subs.user_agents->add_line("The sample made HTTP calls via the following user agents:");
  subs.header_anomalies = std::make_unique<result::Section>("Non-Standard HTTP Headers", result::BodyFormat::Table);
  subs.header_anomalies->set_heuristic(1012);

  if (ctx.http_calls.is_array()) {
    if (!ctx.http_calls.empty()) {
      http_sec->set_heuristic(1002);
      add_tag(*http_sec, "network.protocol", "http");
    } else {
      add_non_http_traffic_section(network_section, unique_netflows);
    }
    for (const auto& call : ctx.http_calls) {
      add_tag(*http_sec, "network.dynamic.uri", call["uri"], ctx.params.safelist.get());
      add_call_findings(ctx, call, subs);
      ontology::NetworkHTTPPtr nh;
      bool created = false;
      auto nc = connection_for_call(ctx, call, nh, created);
      if (created) ctx.ontology.add_network_http(nh);
      if (nc) {
        link_connection_process(ctx, *nc, call["pid"], call["image"]);
        listing.add_or_update_http(ctx, *nc, connection_event_dict(*nc, call["sources"]));
      }
      // "<image> (<pid>)" ([ddc] wrote the f-string's literal text: D-network-1).
      http_sec->add_row({{"process_name", py_str(call["image"]) + " (" + py_str(call["pid"]) + ")"},
                         {"method", call["method"]},
                         {"request", call["request_headers"]},
                         {"uri", call["uri"]}});
    }
  }

  if (subs.remote_files->heuristic) http_sec->add_child(std::move(subs.remote_files));
  if (json::truthy(subs.header_iocs->data)) http_sec->add_child(std::move(subs.header_iocs));
  if (subs.user_agents->heuristic) {
    std::string joined;
    for (size_t i = 0; i < subs.user_agents_used.size(); ++i)
      joined += (i ? " | " : "") + py_str(subs.user_agents_used[i]);
    subs.user_agents->add_line(joined);
    http_sec->add_child(std::move(subs.user_agents));
  }
  if (json::truthy(subs.header_anomalies->data) || !subs.header_anomalies->heuristic->signatures.empty())
    http_sec->add_child(std::move(subs.header_anomalies));
  if (json::truthy(http_sec->data) || !http_sec->children.empty()) network_section.add_child(std::move(http_sec));
}

}  // namespace alcape::analysis::network
