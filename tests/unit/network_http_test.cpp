// HTTP call extraction (_process_http_calls) and header handling on small report fragments; the fixes of the
// reference's bugs are described in docs/deviations.md (network).
#include "analysis/network/http_headers.hpp"
#include "analysis/network/network_map_parts.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

using alcape::json::Value;
using namespace alcape::analysis::network;

namespace {

class NetworkHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

Value http_entry(const char* host, const char* uri, const char* data, const char* ua = "Mozilla/5.0") {
  return Value{{"host", host}, {"port", 80},   {"data", data},     {"uri", uri},
               {"path", "/"},  {"method", "GET"}, {"user-agent", ua}, {"version", "1.1"}};
}

Value calls_of(const Value& net, const Value& dns = Value::object(), HttpCallOptions options = {}) {
  return build_http_calls(net, Value::object(), Value(), Value::array(), dns, options);
}

}  // namespace

TEST_F(NetworkHttp, HeadersKeepTheirNamesAndStopAtTheBody) {
  Value raw = "POST /x HTTP/1.1\r\nContent-Type: a: b\r\nUser-Agent: UA\r\nX-Id: 1\r\n\r\nbody: not a header";
  // "Content-Type: a: b" has two separators and is skipped, as in the reference.
  EXPECT_EQ(parse_http_headers(raw), (Value{{"User-Agent", "UA"}, {"X-Id", "1"}}));
  EXPECT_EQ(parse_http_headers("no line break"), Value::object());
  EXPECT_EQ(parse_http_headers(Value()), Value::object());
}

TEST_F(NetworkHttp, StandardHeadersAreRecognisedInAnyCase) {
  EXPECT_TRUE(is_standard_http_header("User-Agent"));
  EXPECT_TRUE(is_standard_http_header("ACCEPT"));
  EXPECT_TRUE(is_standard_http_header("referer"));
  EXPECT_FALSE(is_standard_http_header("X-Session-Token"));
  EXPECT_FALSE(is_standard_http_header("UserAgent"));
  Value headers = {{"User-Agent", "UA"}, {"X-Session-Token", "7f"}, {"X-Client-Id", "5c"}, {"Accept", "*/*"}};
  // Every non-standard header, not only the last one (D-network-3).
  EXPECT_EQ(non_standard_headers(headers), (Value{{"X-Session-Token", "7f"}, {"X-Client-Id", "5c"}}));
}

TEST_F(NetworkHttp, AcceptLanguageFlagsWholeLanguageRanges) {
  Value headers = {{"accept-language", "en-US,fr-CA;q=0.8, ru;q=0.5"}};
  EXPECT_EQ(flagged_languages(headers, {"us", "RU"}), (Value{"en-US", "ru"}));
  EXPECT_EQ(flagged_languages(headers, {}), Value::array());
  EXPECT_EQ(flagged_languages(Value{{"Accept-Language", "fr-CA"}}, {"us"}), Value::array());
  EXPECT_EQ(language_signature("en-US"), "suspicious_language_accepted_us");
  EXPECT_EQ(language_signature("ru"), "suspicious_language_accepted_ru");
}

TEST_F(NetworkHttp, SuspiciousUserAgentsMayCarryAVersion) {
  EXPECT_TRUE(is_suspicious_user_agent("Microsoft BITS"));
  EXPECT_TRUE(is_suspicious_user_agent("Microsoft BITS/7.8"));
  EXPECT_TRUE(is_suspicious_user_agent("Excel Service"));
  EXPECT_FALSE(is_suspicious_user_agent("Microsoft BITSY"));
  EXPECT_FALSE(is_suspicious_user_agent("Mozilla/5.0 (Microsoft BITS)"));
  EXPECT_FALSE(is_suspicious_user_agent(Value()));
}

TEST_F(NetworkHttp, HostNameCallsTakeTheirDestinationFromDns) {
  Value net = {{"http",
                {http_entry("cdn.example.net", "http://cdn.example.net/files/stage2.bin",
                            "GET /files/stage2.bin HTTP/1.1\r\nUser-Agent: Microsoft BITS/7.8\r\n\r\n",
                            "Microsoft BITS/7.8"),
                 http_entry("nodns.example.org", "http://nodns.example.org/a", "GET /a HTTP/1.1\r\n\r\n")}}};
  Value dns = build_dns_requests(
      {{{"request", "cdn.example.net"}, {"type", "A"}, {"answers", {{{"type", "CNAME"}, {"data", "edge.example.net"}},
                                                                    {{"type", "A"}, {"data", "203.0.113.45"}}}}}},
      "internet");
  Value calls = calls_of(net, dns);
  // The reference dropped both: plain http entries have no "dst" (D-network-2).
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0]["dst"], "203.0.113.45");
  EXPECT_EQ(calls[0]["download"], true);
  EXPECT_EQ(calls[0]["Suspicious_agent"], true);
  EXPECT_EQ(calls[0]["request_headers"], (Value{{"User-Agent", "Microsoft BITS/7.8"}}));
  EXPECT_EQ(calls[1]["dst"], nullptr);
  EXPECT_EQ(calls[1]["download"], false);
}

TEST_F(NetworkHttp, IpHostsLoseTheirPortAndBecomeTheDestination) {
  Value net = {{"http", {http_entry("198.51.100.77:8080", "http://198.51.100.77:8080/api/v2/ping",
                                    "POST /api/v2/ping HTTP/1.1\r\nHost: 198.51.100.77:8080\r\n\r\n")}}};
  Value calls = calls_of(net);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["host"], "198.51.100.77");
  EXPECT_EQ(calls[0]["dst"], "198.51.100.77");
  EXPECT_EQ(calls[0]["protocol"], "http");
  EXPECT_EQ(calls[0]["sources"], Value{"PCAP"});
  EXPECT_EQ(calls[0]["Flagged_language"], Value::array());
}

TEST_F(NetworkHttp, WpadAndInvalidUrisAreSkipped) {
  Value net = {{"http",
                {http_entry("wpad.corp.example.com", "http://wpad.corp.example.com/wpad.dat", "GET /wpad.dat\r\n"),
                 http_entry("192.0.2.1", "not a uri", "GET /\r\n")}}};
  EXPECT_EQ(calls_of(net).size(), 0u);
}

TEST_F(NetworkHttp, ExEntriesRebuildTheirUri) {
  Value net = {{"https_ex",
                {{{"src", "10.0.0.5"}, {"sport", 49710}, {"dst", "192.0.2.200"}, {"dport", 8443},
                  {"protocol", "https"}, {"method", "GET"}, {"host", "api.example.com"}, {"uri", "/v1/config.json"},
                  {"request", "GET /v1/config.json HTTP/1.1\r\nHost: api.example.com"},
                  {"response", "HTTP/1.1 200 OK\r\nX-Served-By: edge-07"},
                  {"resp", {{"path", "/opt/CAPEv2/storage/analyses/1/network/abc"}}}}}}};
  Value calls = calls_of(net);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["uri"], "https://api.example.com/v1/config.json");
  EXPECT_EQ(calls[0]["port"], 8443);
  EXPECT_EQ(calls[0]["response_headers"], (Value{{"X-Served-By", "edge-07"}}));
  EXPECT_EQ(calls[0]["response_body_path"], "network/abc");
  EXPECT_EQ(calls[0]["request_body_path"], nullptr);
}

TEST_F(NetworkHttp, CallsAreAttributedToTheConnectingProcess) {
  Value net = {{"http", {http_entry("203.0.113.45", "http://203.0.113.45/x.exe", "GET /x.exe HTTP/1.1\r\n\r\n")}}};
  Value pmap = {{"3120",
                 {{"name", "invoice_viewer.exe"},
                  {"network_calls",
                   {{{"event", "Connect"}, {"arguments", {{"IP", "203.0.113.45"}, {"Port", "80"}}}}}}}}};
  Value calls = build_http_calls(net, pmap, Value(), Value::array(), Value::object(), {});
  EXPECT_EQ(calls[0]["pid"], 3120);
  EXPECT_EQ(calls[0]["image"], "invoice_viewer.exe");
  EXPECT_EQ(calls[0]["sources"], (Value{"PCAP", "API"}));
}

TEST_F(NetworkHttp, HttpsConversionForDecryptingProxies) {
  EXPECT_EQ(convert_url_to_https("CONNECT", "http://example.com:443"), "https://example.com");
  EXPECT_EQ(convert_url_to_https("connect", "http://example.com:443/a?b=1"), "https://example.com/a?b=1");
  EXPECT_EQ(convert_url_to_https("GET", "http://example.com:443/a"), "http://example.com:443/a");
  EXPECT_EQ(convert_url_to_https("CONNECT", "https://example.com:443/a"), "https://example.com:443/a");
  EXPECT_EQ(convert_url_to_https("CONNECT", "http://example.com/a"), "http://example.com/a");
}

TEST_F(NetworkHttp, CallsWithoutDestinationMatchNoMissingArgument) {
  Value net = {{"http", {http_entry("nodns.example.org", "http://nodns.example.org/a", "GET /a HTTP/1.1\r\n\r\n")}}};
  Value pmap = {{"3120",
                 {{"name", "other.exe"},
                  {"network_calls",
                   {{{"event", "Connect"}, {"arguments", {{"HostName", "other.example.com"}, {"Port", "80"}}}}}}}}};
  Value calls = build_http_calls(net, pmap, Value(), Value::array(), Value::object(), {});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["dst"], nullptr);
  EXPECT_EQ(calls[0]["pid"], nullptr);
  EXPECT_EQ(calls[0]["sources"], Value{"PCAP"});
}
