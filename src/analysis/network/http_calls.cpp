// _process_http_calls and its helpers (_massage_host_data, _massage_http_ex_data, _is_http_call_safelisted,
// _massage_body_paths, _get_destination_ip, _uris_are_equal_despite_discrepancies).
#include "analysis/network/attribution.hpp"
#include "analysis/network/http_headers.hpp"
#include "analysis/network/network_map_parts.hpp"
#include "analysis/network/py_values.hpp"
#include "analysis/tagging/tag_helper.hpp"
#include "analysis/time_format.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace alcape::analysis::network {

namespace {

std::string str_of(const json::Value& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

// "host:port" -> "host" (split(":")[0]).
std::string host_without_port(const std::string& host) { return host.substr(0, host.find(':')); }

// <protocol>_ex entries carry the path in "uri": the URI is rebuilt as "<protocol>://<host><path>".
std::string ex_uri(const json::Value& call, const std::string& host) {
  std::string path = str_of(json::get(call, "uri"));
  if (!host.empty()) {
    size_t pos = path.find(host);
    if (pos != std::string::npos) {
      // path.split(host)[1]: what lies between the first and second occurrence of host.
      size_t start = pos + host.size();
      size_t next = path.find(host, start);
      path = path.substr(start, next == std::string::npos ? std::string::npos : next - start);
    }
  }
  return py_str(json::get(call, "protocol")) + "://" + host + path;
}

bool is_safelisted_call(const std::string& host, const std::string& uri, const Safelist* safelist) {
  if (safelist && (safelist->is_tag_safelisted(host, std::vector<std::string_view>{"network.dynamic.ip", "network.dynamic.domain"}) ||
                   safelist->is_tag_safelisted(uri, "network.dynamic.uri")))
    return true;
  return uri.find("/wpad.dat") != std::string::npos || !matches_full_uri(uri);
}

// The body dump paths, cut to start at "network/" (relative to the analysis folder).
json::Value body_path(const json::Value& call, std::string_view key) {
  const json::Value& path = json::get(json::get(call, key), "path");
  if (!json::truthy(path) || !path.is_string()) return path.is_null() ? json::Value() : path;
  const std::string& p = path.get_ref<const std::string&>();
  size_t pos = p.find("network/");
  return pos == std::string::npos ? path : json::Value(p.substr(pos));
}

json::Value first_seen_time(const json::Value& first_seen) {
  if (!json::truthy(first_seen) || !(first_seen.is_number() || first_seen.is_boolean())) return first_seen;
  auto s = epoch_to_local_with_ms(first_seen.is_boolean() ? 1.0 : first_seen.get<double>(), 3);
  return s ? json::Value(*s) : json::Value();
}

// A GET whose last path segment ends with an extension (search(r"[^\\]*\.(\w+)$")).
bool is_download(const json::Value& method, const json::Value& raw_uri) {
  if (method != json::Value("GET") || !raw_uri.is_string()) return false;
  const std::string& uri = raw_uri.get_ref<const std::string&>();
  size_t slash = uri.rfind('/');
  if (slash == std::string::npos) return false;
  static const RE2 kExtension(R"(\.[\p{L}\p{N}_]+\n?$)");
  return RE2::PartialMatch(uri.substr(slash + 1), kExtension);
}

// _uris_are_equal_despite_discrepancies(api_uri, pcap_uri)
bool uris_equal_despite_discrepancies(const json::Value& api_uri, const json::Value& pcap_uri) {
  if (!api_uri.is_string() || !pcap_uri.is_string()) return false;
  const std::string &a = api_uri.get_ref<const std::string&>(), &p = pcap_uri.get_ref<const std::string&>();
  if (a.rfind("https://", 0) != 0 || p.rfind("http://", 0) != 0) return false;
  std::string ap = a.substr(a.find("://") + 3), pp = p.substr(p.find("://") + 3);
  if (ap == pp) return true;
  return !ap.empty() && ap.back() == '/' && (pp.empty() || pp.back() != '/') &&
         ap.substr(0, ap.find_last_not_of('/') + 1) == pp;
}

bool is_http_service_call(const json::Value& args) {
  const json::Value& port = json::get(args, "Port");
  if (port == json::Value("80") || port == json::Value("443")) return true;
  const json::Value* service = json::find(args, "Service");
  if (!service) return false;
  for (const char* s : {"http", "https", "HTTP", "HTTPS", "3"})
    if (*service == json::Value(s)) return true;
  return false;
}

void attribute_by_api(json::Value& http, const json::Value& process_map) {
  attribute_by_api_calls(http, process_map, {"Connect", "Request_response"}, [&](const json::Value& call) {
    const json::Value& args = json::get(call, "arguments");
    if (!args.is_object() || !is_http_service_call(args) || args.empty()) return false;
    const json::Value &host = json::get(args, "HostName"), &ip = json::get(args, "IP"),
                      &url = json::get(args, "URL"), &buffer = json::get(args, "Buffer");
    if (!json::truthy(host) && !json::truthy(ip) && !json::truthy(url) && !json::truthy(buffer)) return false;
    // A call without a destination must not match the arguments a call lacks (D-network-7).
    bool match = (json::truthy(http["dst"]) && py_in(http["dst"], {&host, &ip, &url})) ||
                 py_in(http["host"], {&host, &ip, &url}) || (json::truthy(buffer) && http["request"] == buffer) ||
                 uris_equal_despite_discrepancies(http["host"], host) ||
                 uris_equal_despite_discrepancies(http["host"], ip) ||
                 uris_equal_despite_discrepancies(http["host"], url);
    return match && port_agrees(json::get(args, "Port"), http["port"]);
  });
}

void attribute_by_sysmon(json::Value& http, const json::Value& parsed_sysmon) {
  attribute_by_sysmon_connections(http, parsed_sysmon, [&](const json::Value& event) {
    const json::Value& dst = json::get(event, "dst");
    return (http["dst"] == dst || http["host"] == dst || uris_equal_despite_discrepancies(http["host"], dst)) &&
           http["port"] == json::get(event, "dport");
  });
}

}  // namespace

json::Value build_http_calls(const json::Value& network, const json::Value& process_map,
                             const json::Value& parsed_sysmon, const json::Value& /*dns_servers*/,
                             const json::Value& dns_requests, const HttpCallOptions& options) {
  json::Value http_calls = json::Value::array();
  for (const char* protocol : {"http", "https", "http_ex", "https_ex"}) {
    const json::Value& entries = json::get(network, protocol);
    if (!entries.is_array()) continue;
    const bool is_ex = std::string_view(protocol).find("ex") != std::string_view::npos;
    for (const auto& entry : entries) {
      if (!entry.is_object()) continue;
      json::Value call = entry;
      std::string host = host_without_port(str_of(json::get(call, "host")));
      if (host.empty()) continue;
      if (is_valid_ip(host) && !json::has(call, "dst")) call["dst"] = host;
      if (options.uses_https_proxy_in_sandbox && call["uri"].is_string())
        call["uri"] = convert_url_to_https(str_of(json::get(call, "method")), call["uri"].get<std::string>());
      json::Value request, port;
      std::string uri;
      if (is_ex) {
        uri = ex_uri(call, host);
        request = json::get(call, "request");
        port = json::get(call, "dport");
      } else {
        request = json::get(call, "data");
        port = json::get(call, "port");
        uri = str_of(json::get(call, "uri"));
      }
      if (is_safelisted_call(host, uri, options.safelist)) continue;

      json::Value request_headers = parse_http_headers(request);
      json::Value response_headers = parse_http_headers(json::get(call, "response"));

      // CAPE's plain http entries have no "dst": the host's DNS answer tells where the request went. A call whose
      // destination stays unknown is still reported, without a network connection. (The reference dropped both
      // kinds, and calls to a DNS server: D-network-2.)
      json::Value dst = json::get(call, "dst");
      if (!json::truthy(dst)) dst = first_ip_answer(dns_requests, host);

      const json::Value& method = json::get(call, "method");
      json::Value user_agent = json::get(call, "user-agent");
      json::Value non_standard = non_standard_headers(request_headers);
      json::Value languages = flagged_languages(request_headers, options.suspicious_accepted_languages);
      json::Value http = {{"protocol", protocol},
                          {"host", host},
                          {"dst", dst},
                          {"port", port},
                          {"uri", uri},
                          {"method", method},
                          {"path", json::has(call, "path") ? call["path"] : json::Value("/")},
                          {"user-agent", user_agent},
                          {"timestamp", first_seen_time(json::get(call, "first_seen"))},
                          {"version", json::get(call, "version")},
                          {"request", request},
                          {"request_headers", std::move(request_headers)},
                          {"request_body_path", body_path(call, "req")},
                          {"response", json::get(call, "response")},
                          {"response_headers", std::move(response_headers)},
                          {"response_body_path", body_path(call, "resp")},
                          {"image", nullptr},
                          {"pid", nullptr},
                          {"guid", nullptr},
                          {"download", is_download(method, json::get(call, "uri"))},
                          {"Suspicious_agent", is_suspicious_user_agent(user_agent)},
                          {"Non_standard_request_headers", std::move(non_standard)},
                          {"Flagged_language", std::move(languages)},
                          {"sources", json::Value::array({"PCAP"})}};
      attribute_by_api(http, process_map);
      attribute_by_sysmon(http, parsed_sysmon);
      http_calls.push_back(std::move(http));
    }
  }
  return http_calls;
}

}  // namespace alcape::analysis::network
