// lite.json variants (cape-api.md §8.11): the generator itself, and al-cape's whole pipeline against the nest
// emulator serving variants of every bundled sample's report — it never crashes, always returns a result or a
// clear error, and a keys-shuffle-only variant gives the same result modulo order (docs/emulators.md says which
// sections follow the report's key order).
#include "emulators/nest/emulator.hpp"
#include "emulators/nest/report_variants.hpp"
#include "pipeline/pipeline.hpp"
#include "result/result_json.hpp"
#include "support/pipeline_setup.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

namespace alcape::emulators::nest {
namespace {

namespace fs = std::filesystem;
using json::Value;

struct TempDir : alcape::testing::TempDir {
  TempDir() : alcape::testing::TempDir("alcape_variants") {}
};

const char* kSmall = R"({"info": {"id": 7, "machine": {"name": "win10x64"}}, "target": {"file": {"name": "a.exe"}},
  "behavior": {"processes": [{"process_id": 1, "calls": [{"api": "NtOpenFile", "id": 1}, {"api": "NtClose", "id": 2}]},
                             {"process_id": 2, "calls": []}],
               "summary": {"files": ["C:\\x"]}},
  "signatures": [{"name": "s", "calls": [1, 2]}]})";

std::string variant_of(const std::string& text, const ReportVariants& v, const std::string& salt = "s") {
  TempDir tmp;
  {
    std::ofstream(tmp.path / "lite.json") << text;
  }
  EXPECT_TRUE(write_report_variant(tmp.path / "lite.json", tmp.path / "out.json", v, salt).ok());
  return alcape::testing::read_file(tmp.path / "out.json");
}

// Objects compared without their key order (nlohmann's unordered json).
nlohmann::json unordered(const std::string& text) { return nlohmann::json::parse(text); }

TEST(ReportVariants, ShuffleKeepsContentAndIsDeterministic) {
  ReportVariants v;
  v.enabled = v.shuffle_keys = true;
  const std::string a = variant_of(kSmall, v), b = variant_of(kSmall, v);
  EXPECT_EQ(a, b);  // same seed and salt: the same bytes
  EXPECT_EQ(unordered(a), unordered(kSmall));
  bool differs = false;  // some seed reorders the top level
  for (uint64_t seed = 1; seed < 20 && !differs; ++seed) {
    v.seed = seed;
    differs = Value::parse(variant_of(kSmall, v)).begin().key() != "info";
  }
  EXPECT_TRUE(differs);
  EXPECT_NE(variant_of(kSmall, v, "other"), variant_of(kSmall, v, "salt"));
}

TEST(ReportVariants, NullDropNonAsciiAndCalls) {
  ReportVariants v;
  v.enabled = true;
  v.drop_keys = 1;
  EXPECT_EQ(variant_of(kSmall, v), "{}");
  v.drop_keys = 0;
  v.null_keys = 1;
  EXPECT_EQ(Value::parse(variant_of(kSmall, v)),
            Value::parse(R"({"info":null,"target":null,"behavior":null,"signatures":null})"));
  v.null_keys = 0;
  v.non_ascii = 1;
  const Value na = Value::parse(variant_of(kSmall, v));  // parses: valid UTF-8
  const std::string name = na["target"]["file"]["name"].get<std::string>();
  EXPECT_NE(name, "a.exe");
  bool non_ascii = false;
  for (unsigned char ch : name) non_ascii = non_ascii || ch >= 0x80;
  EXPECT_TRUE(non_ascii) << name;
  v.non_ascii = 0;
  v.calls_multiplier = 3;
  const Value many = Value::parse(variant_of(kSmall, v));
  EXPECT_EQ(many["behavior"]["processes"][0]["calls"].size(), 6u);
  EXPECT_EQ(many["behavior"]["processes"][1]["calls"].size(), 0u);
  EXPECT_EQ(many["signatures"][0]["calls"].size(), 2u);  // only behavior.processes[].calls

  EXPECT_FALSE(Scenario::from_yaml("report_variants: {null_keys: 2}").ok());
  EXPECT_FALSE(Scenario::from_yaml("report_variants: {calls_multiplier: 0}").ok());
  auto sc = Scenario::from_yaml("report_variants: {seed: 9, shuffle_keys: true, calls_multiplier: 4}");
  ASSERT_TRUE(sc.ok());
  EXPECT_TRUE(sc->report_variants.enabled);
  EXPECT_EQ(sc->report_variants.seed, 9u);
  EXPECT_EQ(sc->report_variants.calls_multiplier, 4);
  EXPECT_FALSE(Scenario{}.report_variants.enabled);
}

// ---- al-cape's pipeline against variants of every bundled sample

std::vector<fs::path> sample_folders() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(alcape::testing::data_dir() / "samples"))
    if (fs::is_directory(e.path() / "Report")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

fs::path submitted_file(const fs::path& folder) {
  for (const auto& e : fs::directory_iterator(folder))
    if (e.is_regular_file()) return e.path();
  return {};
}

struct PipelineRun {
  pipeline::Outcome outcome;
  Value result;  // harness JSON
};

PipelineRun analyse(const fs::path& folder, const std::string& variants_yaml) {
  auto sc = Scenario::from_yaml("durations: {pending_ms: 5, starting_ms: 5, running_ms: 5, processing_ms: 5}\n" +
                                variants_yaml);
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().describe());
  Emulator nest(Options{alcape::testing::data_dir() / "samples", sc.value(), false});
  EXPECT_TRUE(nest.start("127.0.0.1", 0).ok());
  config::ServiceConfig config = alcape::testing::config_with_nest(nest.port());
  auto params = alcape::testing::win10x64_params();
  TempDir work;
  pipeline::RunOptions o =
      alcape::testing::fast_run_options(work.path, std::chrono::milliseconds(5), std::chrono::seconds(120));
  const fs::path file = submitted_file(folder);
  PipelineRun r;
  r.outcome = pipeline::run({file, folder.filename().string(), file.filename().string(), "executable/windows/pe32"},
                            config, params, o);
  r.result = result::to_harness_json(*r.outcome.root, result::HeuristicCatalog::builtin());
  return r;
}

// Arrays sorted by their text and objects by key: equality "modulo order".
Value canonical(const Value& v) {
  if (v.is_object()) {
    std::map<std::string, Value> sorted;
    for (auto it = v.begin(); it != v.end(); ++it) sorted[it.key()] = canonical(it.value());
    Value o = Value::object();
    for (auto& [k, x] : sorted) o[k] = std::move(x);
    return o;
  }
  if (v.is_array()) {
    std::vector<std::pair<std::string, Value>> items;
    for (const auto& e : v) {
      Value c = canonical(e);
      items.emplace_back(c.dump(), std::move(c));
    }
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Value a = Value::array();
    for (auto& [text, x] : items) a.push_back(std::move(x));
    return a;
  }
  if (v.is_string()) {
    // Section bodies are JSON or text encoded in strings: compare what they hold, modulo order too.
    const std::string& s = v.get_ref<const std::string&>();
    if (!s.empty() && (s[0] == '{' || s[0] == '[')) {
      Value inner = Value::parse(s, nullptr, false);
      if (!inner.is_discarded()) return canonical(inner);
    }
    if (s.find('\n') != std::string::npos) {  // text bodies: the lines as a set
      std::vector<std::string> lines;
      size_t start = 0;
      while (start <= s.size()) {
        size_t nl = s.find('\n', start);
        if (nl == std::string::npos) nl = s.size();
        lines.push_back(s.substr(start, nl - start));
        start = nl + 1;
      }
      std::sort(lines.begin(), lines.end());
      return Value(lines);
    }
  }
  return v;
}

// KEY_VALUE bodies show a report object as it is (signature `data` entries: the reference dumps the dict in its
// order too): their keys sorted; everything else must be identical, order included.
Value sort_key_value_bodies(Value result) {
  for (auto& section : result["result"]["sections"]) {
    if (!section.contains("body") || !section["body"].is_string()) continue;
    Value body = Value::parse(section["body"].get<std::string>(), nullptr, false);
    if (body.is_discarded() || !body.is_array()) continue;
    bool changed = false;
    for (auto& part : body)
      if (part.is_array() && part.size() > 1 && part[0] == "KEY_VALUE") {
        part[1] = canonical(part[1]);
        changed = true;
      }
    if (changed) section["body"] = body.dump();
  }
  return result;
}

TEST(ReportVariantsPipeline, KeyOrderDoesNotChangeTheResultModuloOrder) {
  for (const auto& folder : sample_folders()) {
    SCOPED_TRACE(folder.filename().string());
    const PipelineRun base = analyse(folder, "");
    ASSERT_TRUE(base.outcome.ok()) << (base.outcome.error ? base.outcome.error->describe() : "");
    for (int seed : {1, 2}) {
      const PipelineRun shuffled = analyse(folder, "report_variants: {seed: " + std::to_string(seed) + ", shuffle_keys: true}\n");
      ASSERT_TRUE(shuffled.outcome.ok()) << (shuffled.outcome.error ? shuffled.outcome.error->describe() : "");
      EXPECT_EQ(canonical(shuffled.result), canonical(base.result));
      EXPECT_EQ(sort_key_value_bodies(shuffled.result), sort_key_value_bodies(base.result));
      EXPECT_EQ(shuffled.outcome.ontology, base.outcome.ontology);
      EXPECT_EQ(shuffled.result["result"]["score"], base.result["result"]["score"]);
      EXPECT_EQ(shuffled.result["result"]["sections"].size(), base.result["result"]["sections"].size());
    }
    // Repeated calls: the same sections and score (the call lists are summarised, not listed).
    const PipelineRun many = analyse(folder, "report_variants: {calls_multiplier: 3}\n");
    ASSERT_TRUE(many.outcome.ok());
    EXPECT_EQ(many.result["result"]["score"], base.result["result"]["score"]);
    ASSERT_EQ(many.result["result"]["sections"].size(), base.result["result"]["sections"].size());
    for (size_t i = 0; i < base.result["result"]["sections"].size(); ++i)
      EXPECT_EQ(many.result["result"]["sections"][i]["title_text"], base.result["result"]["sections"][i]["title_text"]);
  }
}

TEST(ReportVariantsPipeline, HostileVariantsNeverCrashAndAlwaysAnswer) {
  const std::vector<std::string> variants = {
      "report_variants: {seed: 3, null_keys: 0.05}\n",
      "report_variants: {seed: 4, drop_keys: 0.05}\n",
      "report_variants: {seed: 5, non_ascii: 0.3}\n",
      "report_variants: {seed: 6, calls_multiplier: 5}\n",
      "report_variants: {seed: 7, shuffle_keys: true, null_keys: 0.1, drop_keys: 0.1, non_ascii: 0.2, calls_multiplier: 2}\n",
      "report_variants: {seed: 8, null_keys: 0.5, drop_keys: 0.5}\n",
  };
  for (const auto& folder : sample_folders()) {
    for (const auto& v : variants) {
      SCOPED_TRACE(folder.filename().string() + " " + v);
      const PipelineRun r = analyse(folder, v);
      if (r.outcome.ok()) {
        EXPECT_FALSE(r.result["result"]["sections"].empty()) << r.result.dump();
      } else {
        ASSERT_TRUE(r.outcome.error.has_value());
        EXPECT_FALSE(r.outcome.error->message.empty());
        EXPECT_FALSE(r.outcome.root->children.empty());  // never an empty result: the error is shown
      }
      // Valid: the wire JSON serialises as strict UTF-8.
      const Value wire = result::to_wire_json(*r.outcome.root, result::HeuristicCatalog::builtin());
      EXPECT_NO_THROW((void)wire.dump(-1, ' ', false, Value::error_handler_t::strict));
    }
  }
}

}  // namespace
}  // namespace alcape::emulators::nest
