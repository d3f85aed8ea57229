// HTTP header handling of _process_http_calls: parsing raw requests/responses into header dicts, the
// standard-header check, the Accept-Language flagging and the suspicious user agents; and the https conversion
// for TLS-decrypting proxies.
#pragma once

#include "json/value.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis::network {

// {name: value} for the "Name: value" lines between the request/status line and the blank line before the body.
// Names are kept as sent (the reference removed their dashes: D-network-3); a repeated name keeps its last value.
json::Value parse_http_headers(const json::Value& raw);

// Whether `name` is in STANDARD_HTTP_HEADERS (data/standard_http_headers.json), ignoring case.
bool is_standard_http_header(std::string_view name);

// The request headers that are not standard HTTP headers, in order.
json::Value non_standard_headers(const json::Value& request_headers);

// The language ranges of the Accept-Language request header ("en-US,en;q=0.9" -> "en-US", "en") that contain
// one of the suspicious languages (case-insensitive), in order.
json::Value flagged_languages(const json::Value& request_headers, const std::vector<std::string>& suspicious);

// The Heuristic 1012 signature of a flagged language: "suspicious_language_accepted_<region or language>".
std::string language_signature(std::string_view language_range);

// User agents of tools abused for downloads (SUSPICIOUS_USER_AGENTS), also with a version suffix
// ("Microsoft BITS/7.8").
bool is_suspicious_user_agent(const json::Value& user_agent);

// network_helper.convert_url_to_https: "http://host:443/path" of a CONNECT through a TLS-decrypting proxy
// becomes "https://host/path"; other URLs are returned unchanged.
std::string convert_url_to_https(std::string_view method, std::string_view url);

}  // namespace alcape::analysis::network
