// filter_signatures (the reference's process_signatures) on small report fragments.
#include "analysis/context.hpp"
#include "analysis/stages/signature_catalog.hpp"
#include "analysis/stages/signatures.hpp"
#include "json/pydump.hpp"

#include <gtest/gtest.h>

namespace alcape::analysis {
namespace {

json::Value filter(const char* signatures_json) {
  report::Report report;
  report.signatures = json::Value::parse(signatures_json);
  ParserParams params;
  AnalysisContext ctx(report, params);
  filter_signatures(ctx);
  return ctx.signatures;
}

std::vector<std::string> names(const json::Value& sigs) {
  std::vector<std::string> out;
  for (const auto& s : sigs) out.push_back(s["name"].get<std::string>());
  return out;
}

TEST(SignatureFilter, NoSignaturesGivesNull) {
  EXPECT_TRUE(filter("null").is_null());
  EXPECT_TRUE(filter("[]").is_null());
  EXPECT_TRUE(filter(R"({"name": "x"})").is_null());
}

TEST(SignatureFilter, BuildsTheReferenceDict) {
  json::Value sigs = filter(R"([{"name": "antivm_generic_disk", "description": "Queries disks", "severity": 2,
      "categories": ["anti-vm"], "families": ["f"], "references": ["r"], "ttp": ["T1497"], "weight": 1,
      "data": [{"type": "call", "pid": 1, "cid": 2}, {"drive": "C"}]}])");
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(json::py_dumps(sigs[0]),
            R"({"name": "antivm_generic_disk", "description": "Queries disks", "categories": ["anti-vm"], )"
            R"("families": ["f"], "references": ["r"], "type": "CUCKOO", "classification": "TLP:C", "score": 30, )"
            R"("data": [{"type": "call", "pid": 1, "cid": 2}, {"drive": "C"}]})");
}

TEST(SignatureFilter, NetworkHttpDroppedOnlyWithNetworkCncHttp) {
  EXPECT_EQ(names(filter(R"([{"name": "network_http", "severity": 1, "data": []},
                              {"name": "network_cnc_http", "severity": 1, "data": []}])")),
            std::vector<std::string>{"network_cnc_http"});
  EXPECT_EQ(names(filter(R"([{"name": "network_http", "severity": 1, "data": []}])")),
            std::vector<std::string>{"network_http"});
}

TEST(SignatureFilter, DroppedSignaturesAreIgnored) {
  EXPECT_EQ(names(filter(R"([{"name": "stealth_timeout", "severity": 1, "data": [{"time": "x"}]},
                              {"name": "dynamic_function_loading", "severity": 1, "data": []},
                              {"name": "antidebug_setunhandledexceptionfilter", "severity": 1, "data": []},
                              {"name": "kept", "severity": 1, "data": []}])")),
            std::vector<std::string>{"kept"});
}

TEST(SignatureFilter, SeverityToScore) {
  const int expected[] = {0, 10, 30, 50, 500, 750, 1000, 1000, 1000};
  for (int s = 0; s <= 8; ++s) EXPECT_EQ(severity_to_score(json::Value(s)), expected[s]) << s;
}

TEST(SignatureFilter, SeverityOutOfRangeIsClamped) {
  EXPECT_EQ(severity_to_score(json::Value(9)), 1000);
  EXPECT_EQ(severity_to_score(json::Value(1000000)), 1000);
  EXPECT_EQ(severity_to_score(json::Value(-3)), 0);
  EXPECT_EQ(severity_to_score(json::Value(4.0)), 500);
  EXPECT_EQ(severity_to_score(json::Value(2.7)), 30);
  EXPECT_EQ(severity_to_score(json::Value(true)), 10);
}

TEST(SignatureFilter, MissingOrNonNumericSeverityCountsAsOne) {
  EXPECT_EQ(severity_to_score(json::Value()), 10);
  EXPECT_EQ(severity_to_score(json::Value("high")), 10);
  EXPECT_EQ(filter(R"([{"name": "a", "data": []}])")[0]["score"], 10);
}

TEST(SignatureFilter, SignatureWithOnlyHiddenMarksIsDropped) {
  // Falsy values and data_being_encrypted are what the reference calls false-positive marks.
  EXPECT_TRUE(filter(R"([{"name": "a", "severity": 1,
      "data": [{"foreground_window": ""}, {"data_being_encrypted": "AAAA"}, {"type": "call", "pid": 1}]}])")
                  .empty());
  EXPECT_EQ(filter(R"([{"name": "a", "severity": 1,
      "data": [{"data_being_encrypted": "x"}, {"url": "http://a.example.com/"}]}])").size(), 1u);
}

TEST(SignatureFilter, MarkWithOneShowableItemKeepsTheSignature) {
  // The reference counts items, so this mark (one hidden item, one shown) dropped the signature.
  EXPECT_EQ(filter(R"([{"name": "a", "severity": 1, "data": [{"empty": 0, "shown": "yes"}]}])").size(), 1u);
}

TEST(SignatureFilter, CallOnlyAndEmptySignaturesAreKept) {
  EXPECT_EQ(filter(R"([{"name": "a", "severity": 1, "data": [{"type": "call", "pid": 1, "cid": 0}]},
                        {"name": "b", "severity": 1, "data": []},
                        {"name": "c", "severity": 1}])").size(), 3u);
}

TEST(SignatureFilter, MalformedEntriesAreSkipped) {
  json::Value sigs = filter(R"([3, {"severity": 1}, {"name": 5},
      {"name": "ok", "severity": 1, "data": ["text mark", {"k": "v"}], "families": "notalist"}])");
  ASSERT_EQ(names(sigs), std::vector<std::string>{"ok"});
  EXPECT_EQ(json::py_dumps(sigs[0]["data"]), R"([{"k": "v"}])");
  EXPECT_EQ(sigs[0]["families"], json::Value::array());
  EXPECT_FALSE(sigs[0].contains("description"));
}

TEST(SignatureFilter, IsCallMark) {
  EXPECT_TRUE(is_call_mark(json::Value::parse(R"({"type": "call", "pid": 1, "cid": 2, "call": {}})")));
  EXPECT_TRUE(is_call_mark(json::Value::object()));
  EXPECT_FALSE(is_call_mark(json::Value::parse(R"({"type": "call", "pid": 1, "ip": "x"})")));
  EXPECT_FALSE(is_call_mark(json::Value("call")));
}

TEST(SignatureCatalog, CategoriesAndHeuristics) {
  EXPECT_EQ(signature_heuristic_id("antivm_generic_disk"), 7);
  EXPECT_EQ(signature_heuristic_id("procmem_yara"), 55);
  EXPECT_EQ(signature_heuristic_id("no_such_signature"), kUnknownSignatureHeuristic);
  // Escalation and Recon have no category heuristic in the reference's table.
  EXPECT_EQ(signature_heuristic_id("privilege_elevation_check"), kUnknownSignatureHeuristic);
  EXPECT_EQ(signature_heuristic_id("user_enum"), kUnknownSignatureHeuristic);
  EXPECT_EQ(signature_category("user_enum"), "Recon");
  EXPECT_TRUE(is_dropped_signature("encrypted_ioc"));
  EXPECT_FALSE(is_dropped_signature("network_http"));
  EXPECT_EQ(signature_attribute_action("deletes_self"), "file_delete");
  EXPECT_FALSE(signature_attribute_action("network_http").has_value());
}

}  // namespace
}  // namespace alcape::analysis
