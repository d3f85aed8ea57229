// Buffers stage: crypto / debug-string / network buffers of each process, Buffer IOCs, PE-looking buffers.
#include "analysis/context.hpp"
#include "analysis/stages/buffers.hpp"

#include <gtest/gtest.h>

namespace alcape::analysis {
namespace {

using json::Value;

Value event(const std::string& api, const Value& buffer) {
  Value e = Value::object();
  e["event"] = "x";
  e["object"] = "y";
  e["api"] = api;
  e["arguments"] = Value::object();
  if (!buffer.is_null()) e["arguments"]["Buffer"] = buffer;
  e["source"] = "API";
  return e;
}

Value process(const std::string& name, Value crypto, Value misc, Value network) {
  Value p = Value::object();
  p["name"] = name;
  p["network_calls"] = std::move(network);
  p["crypto_buffers"] = std::move(crypto);
  p["misc_events"] = std::move(misc);
  return p;
}

struct StageRun {
  report::Report report;
  ParserParams params;
  result::Section parent{"Parent"};
  std::vector<PeBuffer> pe;
  result::Section* section = nullptr;
};

void run(StageRun& r, const Value& process_map) {
  AnalysisContext ctx(r.report, r.params);
  ctx.process_map = process_map;
  process_buffers(ctx, r.parent, r.pe);
  r.section = r.parent.find_child("Buffers");
}

TEST(RemoveBytesFromBuffer, DropsEscapesAndShortFragmentsOnly) {
  // The reference would turn "example" into "eple" (deviation D-auxstages-1).
  EXPECT_EQ(remove_bytes_from_buffer("\\x16\\x03\\x01\\x1eapi.telemetry-sync.example.com\\x00\\x17"),
            "api.telemetry-sync.example.com");
  EXPECT_EQ(remove_bytes_from_buffer("<a href=\"http://x.example.org/p\">here</a>\\x00\\x00</body></html>"),
            "<a href=\"http://x.example.org/p\">here</a>,</body></html>");
  // Fragments under 8 characters and "http/1.1" are dropped; the first fragment is never an escape.
  EXPECT_EQ(remove_bytes_from_buffer("x00abcdefgh\\x00short\\http/1.1\\HTTP/1.1"), "x00abcdefgh,HTTP/1.1");
  // "\\\\x41..." is an escaped backslash followed by text, "\\\\\\x41" a backslash then an escape.
  EXPECT_EQ(remove_bytes_from_buffer("C:\\\\x86program_files"), "x86program_files");
  EXPECT_EQ(remove_bytes_from_buffer("C:\\\\\\x86program_files"), "program_files");
  // Code points, not bytes, are counted.
  EXPECT_EQ(remove_bytes_from_buffer("\\x00\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"), "");
  EXPECT_EQ(remove_bytes_from_buffer(""), "");
  EXPECT_EQ(remove_bytes_from_buffer("\\\\\\"), "");
}

TEST(BuffersStage, ApiBuffersShownWithoutIocsDedupedAndEmptySkipped) {
  StageRun r;
  Value pm = Value::object();
  pm["2788"] = process("stub.exe",
                       Value::array({event("CryptDecrypt", "password=Winter2026!"), event("CryptEncrypt", ""),
                                     event("CryptDecrypt", "password=Winter2026!"), event("CryptProtectData", 5),
                                     event("CryptDecrypt", nullptr)}),
                       Value::array({event("OutputDebugStringA", "debug line\x01")}), Value::array());
  run(r, pm);
  ASSERT_NE(r.section, nullptr);
  EXPECT_TRUE(r.section->auto_collapse);
  EXPECT_EQ(r.section->data, Value::parse(R"J([
    {"Process": "stub.exe (2788)", "Source": "Windows API", "Buffer": "password=Winter2026!"},
    {"Process": "stub.exe (2788)", "Source": "Windows API", "Buffer": "debug line\\x01"}])J"));
  EXPECT_EQ(r.section->body_config, Value::parse(R"({"column_order": ["Process", "Source", "Buffer"]})"));
  EXPECT_FALSE(r.section->heuristic.has_value());
  EXPECT_TRUE(r.section->children.empty());
}

TEST(BuffersStage, TenRowsPerProcessForCryptoAndDebugTogether) {
  StageRun r;
  Value crypto = Value::array(), misc = Value::array();
  for (int i = 0; i < 8; ++i) crypto.push_back(event("CryptDecrypt", "crypto buffer " + std::to_string(i)));
  for (int i = 0; i < 8; ++i) misc.push_back(event("OutputDebugStringA", "debug " + std::to_string(i)));
  Value pm = Value::object();
  pm["1"] = process("a.exe", crypto, misc, Value::array());
  pm["2"] = process("b.exe", Value::array({event("CryptDecrypt", "crypto buffer 0")}), Value::array(), Value::array());
  run(r, pm);
  ASSERT_NE(r.section, nullptr);
  ASSERT_EQ(r.section->data.size(), 11u);
  EXPECT_EQ(r.section->data[9]["Buffer"], "debug 1");
  EXPECT_EQ(r.section->data[10]["Process"], "b.exe (2)");
}

TEST(BuffersStage, NameMissingOrNotAString) {
  StageRun r;
  Value pm = Value::object();
  pm["1"] = Value::parse(R"({"crypto_buffers": [{"arguments": {"Buffer": "aaaaaaaaaaa"}}]})");
  pm["2"] = Value::parse(R"({"name": null, "misc_events": [{"arguments": {"Buffer": "bbbbbbbbbbb"}}]})");
  pm["3"] = Value::parse(R"({"name": 12, "misc_events": [{"arguments": {"Buffer": "ccccccccccc"}}]})");
  pm["4"] = nullptr;
  run(r, pm);
  ASSERT_NE(r.section, nullptr);
  ASSERT_EQ(r.section->data.size(), 3u);
  EXPECT_EQ(r.section->data[0]["Process"], "None (1)");
  EXPECT_EQ(r.section->data[1]["Process"], "None (2)");
  EXPECT_EQ(r.section->data[2]["Process"], "12 (3)");
}

TEST(BuffersStage, NetworkBufferShownOnlyWhenItAddsAnIoc) {
  StageRun r;
  Value pm = Value::object();
  pm["13576"] = process(
      "RegAsm.exe", Value::array(), Value::array(),
      Value::array({event("send", "\\x00\\x00\\x01\\x1cAsyncClient|Pong|jdoe"),
                    event("recv", "\\x00\\x2a\\x1f\\x8b\\x08\\x00plugin=http://orders.example-shop.example.net/p/rec.dll"),
                    event("recv", "\\x00plugin=http://orders.example-shop.example.net/p/rec.dll\\x00")}));
  run(r, pm);
  ASSERT_NE(r.section, nullptr);
  EXPECT_EQ(r.section->data, Value::parse(R"J([
    {"Process": "RegAsm.exe (13576)", "Source": "Network",
     "Buffer": "plugin=http://orders.example-shop.example.net/p/rec.dll"}])J"));
  ASSERT_EQ(r.section->children.size(), 1u);
  const result::Section& iocs = *r.section->children[0];
  EXPECT_EQ(iocs.title, "Buffer IOCs");
  ASSERT_TRUE(r.section->heuristic.has_value());
  EXPECT_EQ(r.section->heuristic->heur_id, 1006);
  EXPECT_TRUE(iocs.tags.contains("network.static.uri", "http://orders.example-shop.example.net/p/rec.dll"));
  EXPECT_TRUE(iocs.tags.contains("network.static.domain", "orders.example-shop.example.net"));
}

TEST(BuffersStage, PeLookingBuffersAreReturned) {
  StageRun r;
  std::string pe = "MZ\\x90\\x00This program cannot be run in DOS mode.\r\r\n$";
  Value pm = Value::object();
  pm["7"] = process("a.exe", Value::array({event("BCryptDecrypt", pe), event("CryptDecrypt", "MZ only")}),
                    Value::array(), Value::array());
  run(r, pm);
  ASSERT_EQ(r.pe.size(), 1u);
  EXPECT_EQ(r.pe[0].pid, "7");
  EXPECT_EQ(r.pe[0].api, "BCryptDecrypt");
  EXPECT_EQ(r.pe[0].source, "Windows API");
  EXPECT_EQ(r.pe[0].data, pe);
  EXPECT_EQ(r.pe[0].sha256.size(), 64u);
}

TEST(BuffersStage, EmptyOrOddProcessMapGivesNothing) {
  for (const char* text : {"{}", "null", "[]", R"({"1": {"crypto_buffers": 5, "misc_events": null}})"}) {
    StageRun r;
    run(r, Value::parse(text));
    EXPECT_EQ(r.section, nullptr) << text;
  }
}

}  // namespace
}  // namespace alcape::analysis
