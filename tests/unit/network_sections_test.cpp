// Network Activity subsections (reference-behaviour.md §5.8) built from small reports and from the synthetic
// crash case on which the reference raises (docs/deviations.md (network)).
#include "analysis/analyze.hpp"
#include "analysis/context.hpp"
#include "analysis/network/network_sections_parts.hpp"
#include "analysis/stages/network_map.hpp"
#include "analysis/stages/network_sections.hpp"
#include "analysis/stages/process_map.hpp"
#include "analysis/stages/sysmon.hpp"
#include "report/reader.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

using alcape::json::Value;
namespace analysis = alcape::analysis;
namespace result = alcape::result;

namespace {

// Runs the stages the network sections depend on, with a sandbox starting at `start_time`.
struct NetworkRun {
  alcape::report::Report report;
  analysis::ParserParams params;
  std::unique_ptr<analysis::AnalysisContext> ctx;
  result::Section network{"Network Activity"};

  NetworkRun(alcape::report::Report r, analysis::ParserParams p) : report(std::move(r)), params(std::move(p)) {
    setenv("TZ", "UTC", 1);
    tzset();
    ctx = std::make_unique<analysis::AnalysisContext>(report, params);
    analysis::build_process_map(*ctx);
    analysis::parse_sysmon(*ctx);
    analysis::build_network_map(*ctx);
    analysis::ontology::ObjectIDFields fields;
    fields.session = ctx->ontology.create_session();
    analysis::ontology::AnalysisMetadata metadata;
    metadata.start_time = "2026-03-14 09:26:53.000";
    ctx->ontology.add_sandbox(ctx->ontology.create_sandbox(ctx->ontology.create_objectid("CAPE", "sandbox_1", fields),
                                                          "CAPE", metadata, "2.5"));
    ctx->process_events = Value{{"signatures", Value::array()},
                                {"network_connections", Value::array()},
                                {"processes", Value::array()},
                                {"analysis_information", {{"analysis_metadata", {{"start_time", metadata.start_time}}}}}};
    analysis::add_network_sections(*ctx, network);
  }
};

alcape::report::Report parse(const Value& lite) {
  auto r = alcape::report::parse_report(lite.dump(), analysis::analysis_read_options(), "test");
  EXPECT_TRUE(r.ok());
  return std::move(r.value());
}

const result::Section* find(const result::Section& s, std::string_view title) {
  if (s.title == title) return &s;
  for (const auto& c : s.children)
    if (const auto* f = find(*c, title)) return f;
  return nullptr;
}

Value bits_request(const char* language) {
  return Value{{"host", "203.0.113.45"},
               {"port", 80},
               {"uri", "http://203.0.113.45/files/invoice.exe"},
               {"path", "/files/invoice.exe"},
               {"method", "GET"},
               {"user-agent", "Microsoft BITS"},
               {"data", std::string("GET /files/invoice.exe HTTP/1.1\r\nUser-Agent: Microsoft BITS\r\nX-Session-Token: 7f\r\n"
                                    "Accept-Language: ") + language + "\r\n\r\n"}};
}

Value lite_with_network(Value network) {
  return Value{{"info", {{"id", 1}}},
               {"behavior",
                {{"processes",
                  {{{"process_id", 3120},
                    {"process_name", "invoice_viewer.exe"},
                    {"parent_id", 4468},
                    {"module_path", "C:\\invoice_viewer.exe"},
                    {"first_seen", "2026-03-14 09:27:01,240"},
                    {"calls",
                     {{{"api", "connect"},
                       {"category", "network"},
                       {"arguments", {{{"name", "ip"}, {"value", "203.0.113.45"}}, {{"name", "port"}, {"value", "80"}}}}}}}}}}}},
               {"network", std::move(network)}};
}

}  // namespace

TEST(NetworkSections, DnsTableRowsAndNonStandardQueryTypes) {
  Value requests = {
      {"a.example.com", {{{"answers", {{{"answer", "192.0.2.1"}, {"Type", "A"}}}}, {"type", "A"}}}},
      {"txt.example.com", {{{"answers", {{{"answer", "20260314"}, {"Type", "TXT"}}}}, {"type", "TXT"}}}},
      {"mx.example.com", {{{"answers", Value::array()}, {"type", "MX"}}}},
      {"gone.example.com", {{{"answers", {{{"answer", ""}, {"Type", "NXDOMAIN"}}}}, {"type", "A"}}}}};
  auto sec = analysis::network::make_dns_table(requests, nullptr);
  ASSERT_TRUE(sec);
  ASSERT_TRUE(sec->heuristic);
  EXPECT_EQ(sec->heuristic->heur_id, 1000);
  EXPECT_EQ(sec->data, (Value{{{"domain", "a.example.com"}, {"answer", "192.0.2.1"}, {"type", "A"}},
                              {{"domain", "txt.example.com"}, {"type", "TXT"}},  // all-digit answers are hidden
                              {{"domain", "gone.example.com"}, {"answer", ""}, {"type", "A"}}}));
  const auto* query = find(*sec, "Non-Standard DNS Query Used");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->data, "CAPE detected a non-standard DNS query being used\n\t-\tMX\n\t-\tTXT");
  EXPECT_FALSE(find(*sec, "DNS services are down!"));
  EXPECT_FALSE(analysis::network::make_dns_table(Value::object(), nullptr));
}

TEST(NetworkSections, FlowTableIsAddedEvenWithoutFlows) {
  analysis::ParserParams params;
  NetworkRun run(parse(lite_with_network({{"udp", Value::array()}, {"tcp", Value::array()}})), params);
  const auto* flows = find(run.network, "TCP/UDP Network Traffic");
  ASSERT_TRUE(flows);
  EXPECT_EQ(flows->heuristic->heur_id, 1004);
  EXPECT_TRUE(flows->children.empty());
}

TEST(NetworkSections, HttpRowsNameTheProcessAndListEachDownload) {
  analysis::ParserParams params;
  Value second = bits_request("fr-CA");
  second["uri"] = "http://203.0.113.45/files/second.dll";
  NetworkRun run(parse(lite_with_network({{"http", {bits_request("fr-CA"), second}}})), params);
  const auto* http = find(run.network, "Protocol: HTTP/HTTPS");
  ASSERT_TRUE(http);
  EXPECT_EQ(http->heuristic->heur_id, 1002);
  EXPECT_EQ(http->data[0]["process_name"], "invoice_viewer.exe (3120)");
  const auto* downloads = find(*http, "Access Remote File");
  ASSERT_TRUE(downloads);
  EXPECT_EQ(downloads->data,
            "The sample attempted to download the following files:\n\thttp://203.0.113.45/files/invoice.exe"
            "\n\thttp://203.0.113.45/files/second.dll");
  const auto* agents = find(*http, "Suspicious User Agent(s)");
  ASSERT_TRUE(agents);
  EXPECT_EQ(agents->data, "The sample made HTTP calls via the following user agents:\n\tMicrosoft BITS\nMicrosoft BITS");
  const auto* headers = find(*http, "Non-Standard HTTP Headers");
  ASSERT_TRUE(headers);
  EXPECT_EQ(headers->data, (Value{{{"header", "X-Session-Token"}, {"header_value", "7f"}}}));  // once
  EXPECT_TRUE(headers->heuristic->signatures.empty());
}

// The reference raises IndexError on a flagged Accept-Language (synthetic crash-suspicious-ua-accept-language).
TEST(NetworkSections, FlaggedAcceptLanguageRaisesItsSignature) {
  analysis::ParserParams params;
  params.suspicious_accepted_languages = {"us"};
  NetworkRun run(parse(lite_with_network({{"http", {bits_request("en-US,en;q=0.9")}}})), params);
  const auto* headers = find(run.network, "Non-Standard HTTP Headers");
  ASSERT_TRUE(headers);
  ASSERT_TRUE(headers->heuristic);
  EXPECT_EQ(headers->heuristic->heur_id, 1012);
  ASSERT_EQ(headers->heuristic->signatures.size(), 1u);
  EXPECT_EQ(headers->heuristic->signatures[0].first, "suspicious_language_accepted_us");
  EXPECT_EQ(headers->heuristic->score_map.at("suspicious_language_accepted_us"), 750);
}

TEST(NetworkSections, CrashCaseAcceptLanguageGivesASensibleResult) {
  auto dir = alcape::testing::data_dir() / "samples-synthetic" / "crashes" / "crash-suspicious-ua-accept-language";
  auto rep = alcape::report::read_report_file((dir / "Report" / "reports" / "lite.json").string(),
                                              analysis::analysis_read_options());
  ASSERT_TRUE(rep.ok());
  auto params = analysis::load_params_yaml(alcape::testing::harness_params().string());
  NetworkRun run(std::move(rep.value()), params);
  const auto* headers = find(run.network, "Non-Standard HTTP Headers");
  ASSERT_TRUE(headers);
  EXPECT_TRUE(headers->heuristic->has_signature("suspicious_language_accepted_us"));
  EXPECT_EQ(headers->data, (Value{{{"header", "X-Session-Token"}, {"header_value", "7f3a9c0d2e"}}}));
  const auto* http = find(run.network, "Protocol: HTTP/HTTPS");
  ASSERT_TRUE(http);
  EXPECT_EQ(http->data[1]["request"]["Accept-Language"], "en-US");
}

// Every field may be missing, null or of another type: the network stages skip what they cannot use.
TEST(NetworkSections, MalformedNetworkFieldsNeverThrow) {
  Value network = {
      {"udp", "not a list"},
      {"tcp", {1, nullptr, {{"dst", 5}, {"src", Value::array()}, {"time", "a"}, {"dport", "53"}},
               {{"dst", "203.0.113.5"}, {"src", "10.0.0.1"}, {"time", 1e300}, {"dport", 80}, {"sport", "x"}}}},
      {"dns", {{{"request", 5}, {"answers", "x"}, {"first_seen", "yesterday"}},
               nullptr,
               {{"request", "a.example.com"}, {"type", 28}, {"answers", {nullptr, {{"data", 7}}}}}}},
      {"http", {{{"host", 5}}, {{"host", "a.example.com"}, {"uri", 7}, {"method", nullptr}},
                {{"host", "203.0.113.5:80"}, {"uri", "http://203.0.113.5/x.exe"}, {"method", "GET"},
                 {"data", Value::array()}, {"port", "80"}, {"req", "x"}, {"user-agent", 3}}}},
      {"http_ex", {{{"host", "1.2.3.4"}, {"dport", "80"}, {"uri", nullptr}, {"protocol", nullptr}, {"resp", 4}}}},
      {"https_ex", "x"}};
  analysis::ParserParams params;
  params.suspicious_accepted_languages = {"us"};
  EXPECT_NO_THROW({
    NetworkRun run(parse(lite_with_network(network)), params);
    EXPECT_TRUE(find(run.network, "TCP/UDP Network Traffic"));
  });
}
