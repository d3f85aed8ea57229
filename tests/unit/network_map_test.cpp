// get_network_map pieces on small report fragments (reference-behaviour.md §5.6; fixes in docs/deviations.md (network)).
#include "analysis/network/ip_network.hpp"
#include "analysis/network/network_map_parts.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

using alcape::json::Value;
using namespace alcape::analysis::network;

namespace {

class NetworkMap : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

Value process_map_with_calls(Value calls) {
  return Value{{"3120", {{"name", "invoice_viewer.exe"}, {"network_calls", std::move(calls)}}}};
}

Value net_call(const char* event, Value args) { return Value{{"event", event}, {"arguments", std::move(args)}}; }

}  // namespace

TEST_F(NetworkMap, IpNetworkContainsOnlyItsOwnVersionAndRange) {
  auto v4 = IpNetwork::parse("169.254.128.0/24");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->contains("169.254.128.57"));
  EXPECT_FALSE(v4->contains("169.254.129.1"));
  EXPECT_FALSE(v4->contains("2001:db8::1"));
  EXPECT_FALSE(v4->contains("not an ip"));
  auto v6 = IpNetwork::parse("2001:db8::/32");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains("2001:db8:53::1"));
  EXPECT_FALSE(v6->contains("2001:db9::1"));
  EXPECT_FALSE(IpNetwork::parse("10.0.0.1/8"));  // host bits set: ip_network() is strict
  EXPECT_FALSE(IpNetwork::parse("10.0.0.0/33"));
  EXPECT_TRUE(IpNetwork::parse("10.0.0.1")->contains("10.0.0.1"));
}

TEST_F(NetworkMap, DnsServersAreTheFirstUdp53DestinationThenInetsim) {
  Value net = {{"udp", {{{"dst", "10.1.1.1"}, {"dport", 123}}, {{"dst", "198.51.100.53"}, {"dport", 53}},
                        {{"dst", "169.254.128.1"}, {"dport", 53}}}}};
  EXPECT_EQ(determine_dns_servers(net, {"169.254.128.2", "198.51.100.53"}),
            (Value{"198.51.100.53", "169.254.128.2"}));
  EXPECT_EQ(determine_dns_servers(Value::object(), {}), Value::array());
}

TEST_F(NetworkMap, DnsRequestsKeepTheReferenceShapeAndSkipPtrUnderInetsim) {
  Value dns = {{{"request", "a.example.com"}, {"type", "A"}, {"answers", {{{"type", "A"}, {"data", "192.0.2.1"}}}},
                {"first_seen", 1773480415.95}},
               {{"request", "1.2.0.192.in-addr.arpa"}, {"type", "PTR"}, {"answers", Value::array()}},
               {{"type", "A"}, {"answers", Value::array()}},
               {{"request", "b.example.com"}, {"type", "A"}, {"answers", Value::array()}, {"process_id", 2840},
                {"process_name", "dnsprobe.exe"}}};
  Value requests = build_dns_requests(dns, "INetSim");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests["a.example.com"][0],
            (Value{{"answers", {{{"answer", "192.0.2.1"}, {"Type", "A"}}}},
                   {"process_id", nullptr},
                   {"process_name", nullptr},
                   {"time", "2026-03-14 09:26:55.950"},
                   {"guid", nullptr},
                   {"type", "A"},
                   {"sources", {"PCAP"}}}));
  // CAPE's process_id/process_name fields are read when pid/image are absent (D-network-8).
  EXPECT_EQ(requests["b.example.com"][0]["process_id"], 2840);
  EXPECT_EQ(requests["b.example.com"][0]["process_name"], "dnsprobe.exe");
  EXPECT_TRUE(build_dns_requests(dns, "internet").contains("1.2.0.192.in-addr.arpa"));
}

TEST_F(NetworkMap, DnsLookupsAreAttributedByApiCallsThenSysmon) {
  Value requests = build_dns_requests(
      {{{"request", "c2.example.com"}, {"type", "A"}, {"answers", Value::array()}},
       {{"request", "other.example.com"}, {"type", "A"}, {"answers", {{{"type", "A"}, {"data", "192.0.2.9"}}}}}},
      "internet");
  Value pmap = process_map_with_calls({net_call("DNS", {{"HostName", "c2.example.com"}})});
  Value sysmon = {{"1312",
                   {{{"event_id", 22}, {"request", "c2.example.com"}, {"image", "C:\\svchost.exe"}, {"guid", "{g1}"}},
                    {{"event_id", 22}, {"request", "other.example.com"}, {"image", "C:\\svchost.exe"},
                     {"guid", "{g1}"}}}}};
  attribute_dns_requests(requests, pmap, sysmon);
  const Value& c2 = requests["c2.example.com"][0];
  EXPECT_EQ(c2["process_id"], 3120);
  EXPECT_EQ(c2["process_name"], "invoice_viewer.exe");
  EXPECT_EQ(c2["guid"], "{g1}");
  EXPECT_EQ(c2["sources"], (Value{"PCAP", "API", "sysmon"}));
  const Value& other = requests["other.example.com"][0];
  EXPECT_EQ(other["process_id"], 1312);
  EXPECT_EQ(other["process_name"], "C:\\svchost.exe");
  EXPECT_EQ(other["sources"], (Value{"PCAP", "sysmon"}));
}

TEST_F(NetworkMap, FlowsGetTheResolvedDomainAndOnlyMatchingApiCalls) {
  Value net = {{"tcp",
                {{{"src", "169.254.128.139"}, {"sport", 49702}, {"dst", "203.0.113.45"}, {"dport", 80}, {"time", 3.25}},
                 {{"src", "169.254.128.139"}, {"sport", 49704}, {"dst", "198.51.100.77"}, {"dport", 8080}, {"time", 5}},
                 {{"src", ""}, {"sport", 1}, {"dst", "192.0.2.7"}, {"dport", 25}, {"time", 6}}}}};
  Value dns = build_dns_requests(
      {{{"request", "cdn.example.net"}, {"type", "A"}, {"answers", {{{"type", "A"}, {"data", "203.0.113.45"}}}}}},
      "internet");
  // InternetConnect names the host (no IP), InternetOpenUrl names a URL: neither matches a foreign flow.
  Value pmap = process_map_with_calls(
      {net_call("Connect", {{"HostName", "cdn.example.net"}, {"Port", "80"}, {"Service", "3"}}),
       net_call("Connect", {{"URL", "http://198.51.100.77:8080/api"}})});
  Value flows = build_low_level_flows(net, pmap, Value(), dns);
  ASSERT_EQ(flows.size(), 3u);
  EXPECT_EQ(flows[0]["domain"], "cdn.example.net");
  EXPECT_EQ(flows[0]["pid"], 3120);
  EXPECT_EQ(flows[0]["sources"], (Value{"PCAP", "API"}));
  EXPECT_EQ(flows[1]["domain"], nullptr);
  EXPECT_EQ(flows[1]["image"], "invoice_viewer.exe");  // through the URL's host
  EXPECT_EQ(flows[2]["pid"], nullptr);                 // the reference attributed it through `None in [...]`
  EXPECT_EQ(flows[2]["src_port"], nullptr);            // no source address: no source port
  EXPECT_EQ(flows[2]["sources"], Value{"PCAP"});
}

TEST_F(NetworkMap, FlowsAreAttributedBySysmonNetworkEvents) {
  Value net = {{"udp", {{{"src", "10.0.0.5"}, {"sport", 5000}, {"dst", "192.0.2.200"}, {"dport", 8443}, {"time", 1}}}}};
  Value sysmon = {{"3388",
                   {{{"event_id", 3}, {"src", "10.0.0.5"}, {"sport", 5000}, {"dst", "192.0.2.200"}, {"dport", 8443},
                     {"image", "C:\\synchelper.exe"}}}}};
  Value flows = build_low_level_flows(net, Value::object(), sysmon, Value::object());
  EXPECT_EQ(flows[0]["protocol"], "udp");
  EXPECT_EQ(flows[0]["pid"], 3388);
  EXPECT_EQ(flows[0]["image"], "C:\\synchelper.exe");
  EXPECT_EQ(flows[0]["sources"], (Value{"PCAP", "sysmon"}));
}

TEST_F(NetworkMap, NoiseFlowsAreDnsServersAndUnresolvedInetsimAddresses) {
  auto range = IpNetwork::parse("169.254.128.0/24");
  Value dns = build_dns_requests(
      {{{"request", "qzx7k2m9vb.top"}, {"type", "A"}, {"answers", {{{"type", "A"}, {"data", "169.254.128.44"}}}}}},
      "internet");
  Value servers = {"198.51.100.53"};
  auto flow = [](const char* dst) { return Value{{"domain", nullptr}, {"dest_ip", dst}}; };
  EXPECT_TRUE(is_noise_flow(flow("198.51.100.53"), servers, dns, range, nullptr));
  EXPECT_TRUE(is_noise_flow(flow("169.254.128.57"), servers, dns, range, nullptr));
  // An INetSim address the sample resolved is kept (the reference dropped it: D-network-6).
  EXPECT_FALSE(is_noise_flow(flow("169.254.128.44"), servers, dns, range, nullptr));
  EXPECT_FALSE(is_noise_flow(flow("203.0.113.80"), servers, dns, range, nullptr));
  EXPECT_FALSE(is_noise_flow(flow("203.0.113.80"), servers, dns, std::nullopt, nullptr));
}
