#include "analysis/stages/sandbox_body.hpp"

namespace alcape::analysis {

namespace {

const json::Value& get(const json::Value& d, std::string_view k) { return json::get(d, k); }

// `value or []` of the item classes.
json::Value or_empty_list(const json::Value& v) { return json::truthy(v) ? v : json::Value::array(); }

json::Value analysis_information(const json::Value& info) {
  const json::Value& meta = get(info, "analysis_metadata");
  json::Value m = json::Value::object();
  m["task_id"] = get(meta, "task_id");
  m["start_time"] = get(meta, "start_time");
  m["end_time"] = get(meta, "end_time");
  m["routing"] = get(meta, "routing");
  m["window_size"] = nullptr;
  m["machine_metadata"] = nullptr;  // the reference passes None
  json::Value o = json::Value::object();
  o["sandbox_name"] = get(info, "sandbox_name");
  o["sandbox_version"] = get(info, "sandbox_version");
  o["analysis_metadata"] = std::move(m);
  return o;
}

json::Value process_item(const json::Value& p) {
  json::Value o = json::Value::object();
  o["image"] = json::truthy(get(p, "image")) ? get(p, "image") : json::Value("<unknown_image>");
  o["start_time"] = get(p, "start_time");
  o["sources"] = or_empty_list(get(p, "sources"));
  o["ppid"] = get(p, "ppid");
  o["pid"] = get(p, "pid");
  o["command_line"] = get(p, "command_line");
  o["end_time"] = get(p, "end_time");
  o["integrity_level"] = get(p, "integrity_level");
  o["image_hash"] = get(p, "image_hash");
  o["original_file_name"] = get(p, "original_file_name");
  o["safelisted"] = get(p, "safelisted");
  o["file_count"] = 0;  // the reference does not pass the counts
  o["registry_count"] = 0;
  return o;
}

json::Value netflow_item(const json::Value& n) {
  const json::Value& type = get(n, "connection_type");
  json::Value o = json::Value::object();
  o["destination_ip"] = get(n, "destination_ip");
  o["destination_port"] = get(n, "destination_port");
  // DNS items are built without the transport protocol.
  o["transport_layer_protocol"] = type == "dns" ? json::Value(nullptr) : get(n, "transport_layer_protocol");
  o["direction"] = get(n, "direction");
  o["process"] = get(n, "process");
  o["sources"] = or_empty_list(get(n, "sources"));
  o["source_ip"] = get(n, "source_ip");
  o["source_port"] = get(n, "source_port");
  o["time_observed"] = get(n, "time_observed");
  if (type == "http") {
    const json::Value& h = get(n, "http_details");
    json::Value d = json::Value::object();
    d["request_uri"] = get(h, "request_uri");
    d["request_headers"] = json::truthy(get(h, "request_headers")) ? get(h, "request_headers") : json::Value::object();
    d["request_method"] = get(h, "request_method");
    d["response_headers"] =
        json::truthy(get(h, "response_headers")) ? get(h, "response_headers") : json::Value::object();
    d["request_body"] = get(h, "request_body");
    d["response_status_code"] = get(h, "response_status_code");
    d["response_body"] = get(h, "response_body");
    d["response_content_fileinfo"] = nullptr;
    d["response_content_mimetype"] = nullptr;
    o["connection_type"] = "http";
    o["http_details"] = std::move(d);
  } else if (type == "dns") {
    const json::Value& h = get(n, "dns_details");
    json::Value d = json::Value::object();
    d["domain"] = get(h, "domain");
    d["lookup_type"] = get(h, "lookup_type");
    d["resolved_ips"] = or_empty_list(get(h, "resolved_ips"));
    d["resolved_domains"] = or_empty_list(get(h, "resolved_domains"));
    o["connection_type"] = "dns";
    o["dns_details"] = std::move(d);
  } else if (type == "smtp") {
    const json::Value& h = get(n, "smtp_details");
    json::Value d = json::Value::object();
    d["mail_from"] = get(h, "mail_from");
    d["mail_to"] = get(h, "mail_to");
    d["attachments"] = or_empty_list(get(h, "attachments"));
    o["connection_type"] = "smtp";
    o["smtp_details"] = std::move(d);
  } else {
    o["connection_type"] = type;
  }
  return o;
}

json::Value signature_item(const json::Value& s) {
  json::Value attacks = json::Value::array();
  const json::Value& in = get(s, "attacks");
  if (in.is_array())
    for (const auto& a : in) {
      json::Value item = json::Value::object();
      item["attack_id"] = get(a, "attack_id");
      item["pattern"] = get(a, "pattern");
      item["categories"] = or_empty_list(get(a, "categories"));
      attacks.push_back(std::move(item));
    }
  json::Value o = json::Value::object();
  o["name"] = get(s, "name");
  o["type"] = get(s, "type");
  o["sources"] = or_empty_list(get(s, "sources"));
  o["classification"] = get(s, "classification");
  o["attacks"] = std::move(attacks);
  o["actors"] = or_empty_list(get(s, "actors"));
  o["malware_families"] = or_empty_list(get(s, "malware_families"));
  o["description"] = get(s, "description");
  o["pid"] = or_empty_list(get(s, "pid"));
  o["score"] = get(s, "score");
  return o;
}

json::Value map_list(const json::Value& list, json::Value (*fn)(const json::Value&)) {
  json::Value out = json::Value::array();
  if (list.is_array())
    for (const auto& e : list) out.push_back(fn(e));
  return out;
}

}  // namespace

json::Value sandbox_section_body(const json::Value& events) {
  json::Value body = json::Value::object();
  body["analysis_information"] = analysis_information(get(events, "analysis_information"));
  body["processes"] = map_list(get(events, "processes"), process_item);
  body["network_connections"] = map_list(get(events, "network_connections"), netflow_item);
  body["signatures"] = map_list(get(events, "signatures"), signature_item);
  return body;
}

}  // namespace alcape::analysis
