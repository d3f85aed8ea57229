// add_signature_sections on small signature lists (the shapes filter_signatures produces).
#include "analysis/context.hpp"
#include "analysis/ontology/ids.hpp"
#include "analysis/stages/signature_sections.hpp"
#include "json/pydump.hpp"

#include <gtest/gtest.h>

namespace alcape::analysis {
namespace {

class SignatureSections : public ::testing::Test {
 protected:
  SignatureSections() : ctx(report, params), root("Signatures") {}

  // One filtered signature with the given marks.
  void add_signature(const std::string& name, const char* data_json, int score = 10,
                     const char* families = "[]") {
    if (!ctx.signatures.is_array()) ctx.signatures = json::Value::array();
    json::Value s = json::Value::object();
    s["name"] = name;
    s["description"] = "desc of " + name;
    s["categories"] = json::Value::array();
    s["families"] = json::Value::parse(families);
    s["references"] = json::Value::array();
    s["type"] = "CUCKOO";
    s["classification"] = "TLP:C";
    s["score"] = score;
    s["data"] = json::Value::parse(data_json);
    ctx.signatures.push_back(s);
  }

  void add_process(int64_t pid, const std::string& image) {
    json::Value d = {{"pid", pid}, {"ppid", 1}, {"image", image}, {"command_line", image}};
    auto oid = ctx.ontology.create_objectid(ontology::normalize_path(image), ontology::process_oid(d));
    ontology::ProcessFields f;
    f.pid = pid;
    f.ppid = 1;
    f.image = image;
    f.start_time = "2026-03-17 22:03:35.500";
    ctx.ontology.add_process(ctx.ontology.create_process(oid, f));
  }

  const result::Section& run_one() {
    add_signature_sections(ctx, root);
    EXPECT_EQ(root.children.size(), 1u);
    return *root.children.at(0);
  }

  std::string body(const result::Section& s) { return json::py_dumps(s.data); }

  report::Report report;
  ParserParams params;
  AnalysisContext ctx;
  result::Section root;
};

TEST_F(SignatureSections, DescriptionFamiliesAndHeuristic) {
  add_signature("antivm_generic_disk", R"([{"physicaldrive": "\\\\.\\PhysicalDrive0"}])", 30,
                R"(["AgentTesla", "generic"])");
  const auto& s = run_one();
  EXPECT_EQ(s.title, "Signature: antivm_generic_disk");
  EXPECT_EQ(s.format, result::BodyFormat::Multi);
  EXPECT_EQ(body(s), R"([["TEXT", "desc of antivm_generic_disk", {}], ["TEXT", "\tFamilies: AgentTesla", {}], )"
                     R"(["KEY_VALUE", {"physicaldrive": "\\\\.\\PhysicalDrive0"}, {}]])");
  ASSERT_TRUE(s.heuristic);
  EXPECT_EQ(s.heuristic->heur_id, 7);
  EXPECT_EQ(s.heuristic->signatures, (std::vector<std::pair<std::string, int>>{{"antivm_generic_disk", 1}}));
  EXPECT_EQ(s.heuristic->score_map.at("antivm_generic_disk"), 30);
  EXPECT_TRUE(s.tags.contains("dynamic.signature.family", "AgentTesla"));
  EXPECT_FALSE(s.tags.contains("dynamic.signature.family", "generic"));
}

TEST_F(SignatureSections, MissingDescriptionHasDefaultText) {
  add_signature("x", "[]");
  ctx.signatures[0].erase("description");
  EXPECT_EQ(body(run_one()), R"([["TEXT", "No description for signature.", {}]])");
}

TEST_F(SignatureSections, UnknownEscalationAndReconSignaturesGetHeuristic9999) {
  add_signature("synthetic_custom_beacon", "[]");
  add_signature("privilege_elevation_check", "[]");
  add_signature("user_enum", "[]");
  add_signature_sections(ctx, root);
  ASSERT_EQ(root.children.size(), 3u);
  for (const auto& c : root.children) EXPECT_EQ(c->heuristic->heur_id, 9999) << c->title;
}

TEST_F(SignatureSections, HiddenAndRepeatedItemsAreNotShown) {
  add_signature("a", R"([{"k": "v"}, {"k": "v"}, {"data_being_encrypted": "secret", "e": ""},
                        {"k": "v", "other": 1}, {"n": 0, "m": [], "z": {}}])");
  // An item equal to a part shown alone earlier ({"k": "v"}) is left out, also next to other items.
  EXPECT_EQ(body(run_one()), R"([["TEXT", "desc of a", {}], ["KEY_VALUE", {"k": "v"}, {}], )"
                             R"(["KEY_VALUE", {"other": 1}, {}]])");
}

TEST_F(SignatureSections, LongValuesAreCutTo512CodePoints) {
  std::string long_value(600, 'a');
  add_signature("a", (R"([{"v": ")" + long_value + R"("}])").c_str());
  json::Value part = run_one().data[1];
  EXPECT_EQ(part[1]["v"], std::string(512, 'a') + "...");
}

TEST_F(SignatureSections, TenMarksShownThenACount) {
  std::string data = "[";
  for (int i = 0; i < 14; ++i) {
    if (i) data += ", ";
    if (i == 3 || i == 12) data += R"({"type": "call", "pid": 1, "cid": 0}, )";
    data += R"({"regkey": "HKLM\\k)" + std::to_string(i) + R"("})";
  }
  data += "]";
  add_signature("a", data.c_str());
  const auto& s = run_one();
  // 1 description + 10 marks + the note; 16 marks - 10 shown - 1 call seen before the note.
  ASSERT_EQ(s.data.size(), 12u);
  EXPECT_EQ(s.data[11][1], "There were 5 more marks that were not displayed.");
  // Marks past the tenth are still tagged.
  EXPECT_TRUE(s.tags.contains("dynamic.registry_key", "HKLM\\k13"));
}

TEST_F(SignatureSections, NoCountWhenExactlyTenMarks) {
  std::string data = "[";
  for (int i = 0; i < 10; ++i) data += std::string(i ? ", " : "") + R"({"r": ")" + std::to_string(i) + R"("})";
  data += "]";
  add_signature("a", data.c_str());
  EXPECT_EQ(run_one().data.size(), 11u);
}

TEST_F(SignatureSections, FileLikeValuesAreCutAtTheFirstDelimiter) {
  add_signature("a", R"j([{"file": "C:\\Users\\jdoe\\Google\\Chrome\\User Data\\Login"}, {"process": "Process: VBC.exe (2412)"},
                        {"office_martian": "WINWORD.EXE->vbc.exe"}, {"service": "SyncSvc (Windows Sync)"},
                        {"binary": "C:\\Windows\\lsass.exe"}, {"copy": "a.exe, b.exe"}])j");
  const auto& s = run_one();
  const auto* names = s.tags.values("dynamic.process.file_name");
  ASSERT_NE(names, nullptr);
  EXPECT_EQ(json::Value(*names), json::Value::parse(R"(["C:\\Users\\jdoe\\Google\\Chrome\\User", "vbc.exe",
      "WINWORD.EXE", "SyncSvc", "C:\\Windows\\lsass.exe", "a.exe"])"));
}

TEST_F(SignatureSections, TypedTaggers) {
  add_signature("a", R"j([{"command": "cmd /c x"}, {"service_path": "svc.exe -k"}, {"IP": "192.0.2.99:4444 (x.exe)"},
                        {"regkey": "HKCU\\Run"}, {"dynamicloader": "sekurlsa"}, {"mimikatz_exe": "observed"},
                        {"domain": "a.example.com"}, {"request": "EHLO x\r\nHost: smtp.example.net\r\n"}])j");
  const auto& s = run_one();
  EXPECT_TRUE(s.tags.contains("dynamic.process.command_line", "cmd /c x"));
  EXPECT_TRUE(s.tags.contains("dynamic.process.command_line", "svc.exe -k"));
  EXPECT_TRUE(s.tags.contains("network.dynamic.ip", "192.0.2.99"));
  EXPECT_TRUE(s.tags.contains("network.port", "4444"));
  EXPECT_TRUE(s.tags.contains("dynamic.registry_key", "HKCU\\Run"));
  EXPECT_TRUE(s.tags.contains("file.pe.exports.function_name", "sekurlsa"));
  EXPECT_TRUE(s.tags.contains("dynamic.process.file_name", "mimikatz.exe"));
  EXPECT_TRUE(s.tags.contains("network.dynamic.domain", "a.example.com"));
  // The Host line of a request-like mark is what gets tagged (a host alone tags as a domain).
  EXPECT_TRUE(s.tags.contains("network.dynamic.domain", "smtp.example.net"));
  EXPECT_FALSE(s.tags.has_type("network.dynamic.uri"));
}

TEST_F(SignatureSections, Ipv6MarkIsNotSplitAtColons) {
  add_signature("a", R"([{"ip": "2001:db8::25"}])");
  const auto& s = run_one();
  EXPECT_FALSE(s.tags.has_type("network.port"));
}

TEST_F(SignatureSections, YaraHitsAddRuleTagsAndHeuristicSignatures) {
  params.signature_map = json::Value::parse(R"({"id1": {"name": "UPX", "source": "yara_repo"}})");
  add_signature("procmem_yara", R"([{"Hit": "PID 2788 trigged the Yara rule 'AsyncRAT'"},
                                   {"Hit": "PID 2788 trigged the Yara rule 'AsyncRAT'"},
                                   {"Hit": "PID  trigged the Yara rule 'UPX'"}])", 500);
  const auto& s = run_one();
  EXPECT_TRUE(s.tags.contains("file.rule.cape", "CAPE.AsyncRAT"));
  EXPECT_TRUE(s.tags.contains("file.rule.cape", "yara_repo.UPX"));
  ASSERT_TRUE(s.heuristic);
  EXPECT_EQ(s.heuristic->heur_id, 55);
  // The repeated hit is shown and counted once.
  EXPECT_EQ(s.heuristic->signatures, (std::vector<std::pair<std::string, int>>{
                                         {"procmem_yara", 1}, {"asyncrat", 1}, {"upx", 1}}));
  EXPECT_EQ(s.heuristic->score_map.at("asyncrat"), 500);
  EXPECT_EQ(s.data.size(), 3u);
}

TEST_F(SignatureSections, OntologySignatureWithCallAndHitAttributes) {
  add_process(1964, "C:\\Users\\jdoe\\Desktop\\a.exe");
  add_process(2412, "C:\\Windows\\vbc.exe");
  add_signature("injection_write_exe_process",
                R"([{"type": "call", "pid": 1964, "cid": 1}, {"type": "call", "pid": 2412, "cid": 1},
                    {"type": "call", "pid": 1964, "cid": 2}, {"type": "call", "pid": 9999, "cid": 1},
                    {"Hit": "PID 2412 trigged the Yara rule 'X'"}])", 1000);
  run_one();
  ASSERT_EQ(ctx.ontology.signatures().size(), 1u);
  const auto& osig = *ctx.ontology.signatures()[0];
  EXPECT_EQ(osig.name, "injection_write_exe_process");
  EXPECT_EQ(osig.objectid->tag, "CUCKOO.injection_write_exe_process");
  ASSERT_EQ(osig.attacks.size(), 1u);
  EXPECT_EQ(osig.attacks[0]["attack_id"], "T1055");
  // One attribute per process (the reference kept only the first, §10.25); the hit on 2412 equals its call one.
  ASSERT_EQ(osig.attributes.size(), 2u);
  EXPECT_EQ(osig.attributes[0]->source->tag, ontology::normalize_path("C:\\Users\\jdoe\\Desktop\\a.exe"));
  EXPECT_EQ(osig.attributes[1]->source->tag, ontology::normalize_path("C:\\Windows\\vbc.exe"));

  const json::Value& listed = ctx.process_events["signatures"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(json::py_dumps(listed[0]),
            R"({"name": "injection_write_exe_process", "type": "CUCKOO", "classification": "TLP:C", )"
            R"("attacks": [{"attack_id": "T1055", "pattern": "Process Injection", "categories": )"
            R"(["defense-evasion", "privilege-escalation"]}], "actors": [], "malware_families": [], )"
            R"("data": [{"Hit": "PID 2412 trigged the Yara rule 'X'"}], "score": 1000, "pid": [1964, 2412, 9999], )"
            R"("description": "desc of injection_write_exe_process", "sources": ["CAPE"]})");
}

TEST_F(SignatureSections, SignatureWithoutCallsHasNullPidAndNoAttributes) {
  add_signature("a", R"([{"k": "v"}])");
  run_one();
  EXPECT_TRUE(ctx.process_events["signatures"][0]["pid"].is_null());
  EXPECT_TRUE(ctx.ontology.signatures()[0]->attributes.empty());
}

TEST_F(SignatureSections, LongDescriptionIsShortenedForTheProcessesSection) {
  add_signature("a", "[]");
  ctx.signatures[0]["description"] = std::string(300, 'd');
  const auto& s = run_one();
  EXPECT_EQ(s.data[0][1], std::string(300, 'd'));  // the section keeps it whole
  EXPECT_EQ(ctx.process_events["signatures"][0]["description"], std::string(253, 'd') + "...");
}

TEST_F(SignatureSections, UriMarkGoesToAttributesOfProcessesWithHttpCalls) {
  add_process(1964, "C:\\a.exe");
  ctx.process_map["1964"] = json::Value::parse(
      R"({"network_calls": [{"event": "Connect", "arguments": {"Service": "3"}}]})");
  add_signature("a", R"([{"type": "call", "pid": 1964, "cid": 0}, {"url": "http://x.example.com/a"}])");
  run_one();
  ASSERT_EQ(ctx.ontology.signatures()[0]->attributes.size(), 1u);
  EXPECT_EQ(ctx.ontology.signatures()[0]->attributes[0]->uri, "http://x.example.com/a");
}

TEST_F(SignatureSections, HttpsProxyUrlsAreRewritten) {
  params.uses_https_proxy_in_sandbox = true;
  add_signature("a", R"([{"url": "http://blah.com/blahblah:443"}])");
  EXPECT_TRUE(run_one().tags.contains("network.dynamic.uri", "https://blah.com/blahblah"));
}


TEST_F(SignatureSections, SafelistedValuesAreHiddenAndUntaggedWhereverTheMarkIs) {
  SafelistData safelist;
  safelist.match["network.dynamic.domain"] = {"www.microsoft.com"};
  safelist.regex["network.dynamic.ip"] = {R"(10\..*)"};
  params.safelist = std::make_shared<Safelist>(std::move(safelist));
  std::string data = R"([{"domain": "www.microsoft.com"})";
  for (int i = 0; i < 10; ++i) data += R"(, {"regkey": "k)" + std::to_string(i) + R"("})";
  data += R"(, {"domain": "www.microsoft.com"}, {"ip": "10.0.2.15"}, {"ip": "198.51.100.7"}])";
  add_signature("a", data.c_str());
  const auto& s = run_one();
  EXPECT_EQ(s.data.size(), 12u);  // description, 10 regkeys, the note
  // The reference's count: 14 marks - 10 shown (the hidden first mark counts as "not displayed").
  EXPECT_EQ(s.data[11][1], "There were 4 more marks that were not displayed.");
  EXPECT_FALSE(s.tags.has_type("network.dynamic.domain"));
  // Past the tenth mark the reference tagged safelisted values (D-signatures-3); only the other IP is tagged.
  EXPECT_EQ(json::Value(*s.tags.values("network.dynamic.ip")), json::Value::array({"198.51.100.7"}));
}

}  // namespace
}  // namespace alcape::analysis
