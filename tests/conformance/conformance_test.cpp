// The acceptance test of the report engine: for every bundled sample, al-cape's result, Processes-section data
// and ontology must equal the reference's expected files, after applying exactly the deviations listed in
// tests/conformance/deviations/*.json (each one explained in docs/deviations.md).
//
// Comparison rules (samples/README.md): sections in order; bodies compared as text and as parsed JSON (patches of
// the result may point inside a parsed body);
// ATT&CK lists ("attack", "attacks", "categories") unordered; ontology `session` and `guid` ignored at every depth.
#include "analysis/analyze.hpp"
#include "json/pydump.hpp"
#include "report/reader.hpp"
#include "result/result_json.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <iostream>

namespace alcape {
namespace {

using json::Value;
namespace fs = std::filesystem;

struct Outputs {
  Value result, section_json, ontology;
  result::Section root{"Parent"};
};

Outputs run_engine(const fs::path& case_dir) {
  setenv("TZ", "UTC", 1);
  tzset();
  auto params = analysis::load_params_yaml(testing::harness_params().string());
  auto rep = report::read_report_file((case_dir / "Report" / "reports" / "lite.json").string(),
                                      analysis::analysis_read_options());
  if (!rep.ok()) throw std::runtime_error(rep.error().describe());
  Outputs o;
  auto out = analysis::analyze_report(rep.value(), params, o.root);
  o.result = result::to_harness_json(o.root, result::HeuristicCatalog::builtin());
  o.section_json = std::move(out.process_events);
  o.ontology = std::move(out.ontology);
  return o;
}

// Lists whose order the reference does not control.
bool unordered_key(const std::string& k) { return k == "attack" || k == "attacks" || k == "categories"; }

void normalise(Value& v, bool drop_random_ids) {
  if (v.is_object()) {
    if (drop_random_ids) {
      v.erase("session");
      v.erase("guid");
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
      normalise(it.value(), drop_random_ids);
      if (unordered_key(it.key()) && it.value().is_array()) {
        auto& arr = it.value();
        std::vector<Value> items(arr.begin(), arr.end());
        std::sort(items.begin(), items.end(), [](const Value& a, const Value& b) { return a.dump() < b.dump(); });
        arr = Value(items);
      }
    }
  } else if (v.is_array()) {
    for (auto& e : v) normalise(e, drop_random_ids);
  }
}

// Parses each non-TEXT section body so that differences show as JSON paths.
Value parsed_sections(const Value& result) {
  Value sections = result.at("result").at("sections");
  for (auto& s : sections) {
    if (s["body"].is_string() && s["body_format"] != "TEXT") {
      try {
        s["body"] = Value::parse(s["body"].get<std::string>());
      } catch (...) {
      }
    }
  }
  normalise(sections, false);
  return sections;
}

// Every tests/conformance/deviations/*.json file: a list of {"id", "case", "target", "patch"}.
Value load_deviations() {
  Value all = Value::array();
  auto dir = testing::data_dir().parent_path() / "conformance" / "deviations";
  if (!fs::exists(dir)) return all;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files)
    for (auto& d : Value::parse(testing::read_file(f))) all.push_back(d);
  return all;
}

// Section bodies are JSON text in result.json. They are parsed before the deviations are applied, so that a
// patch can point inside a body (/result/sections/3/body/signatures/0/...) and two patches on one body do not
// overwrite each other. Afterwards a body no patch changed gets back the reference's text (the byte-for-byte
// check stays exact); a changed body is printed as json.dumps would print it. The helper keys cannot clash with
// section fields.
constexpr const char* kBodyText = "\x01body_text";
constexpr const char* kBodyParsed = "\x01body_parsed";

void parse_bodies(Value& result) {
  for (auto& s : result["result"]["sections"]) {
    if (!s["body"].is_string() || s["body_format"] == "TEXT") continue;
    Value parsed = Value::parse(s["body"].get<std::string>(), nullptr, false);
    if (parsed.is_discarded()) continue;
    s[kBodyText] = s["body"];
    s[kBodyParsed] = parsed;
    s["body"] = std::move(parsed);
  }
}

void print_bodies(Value& result) {
  for (auto& s : result["result"]["sections"]) {
    const bool untouched = s.contains(kBodyText) && s["body"] == s[kBodyParsed];
    if (untouched) s["body"] = s[kBodyText];
    else if (!s["body"].is_null() && !s["body"].is_string()) s["body"] = json::py_dumps(s["body"]);
    // A body a patch replaced with text, or a TEXT body, stays as it is.
    s.erase(kBodyText);
    s.erase(kBodyParsed);
  }
}

// Applies the listed deviations of `case_name` for `target` (result | section_json | ontology) to `expected`.
void apply_deviations(const std::string& case_name, const std::string& target, Value& expected) {
  static const Value deviations = load_deviations();
  for (const auto& d : deviations) {
    if (d.value("case", "") != case_name || d.value("target", "") != target) continue;
    expected = expected.patch(d.at("patch"));
  }
}

// The harness's own rules for patches inside section bodies.
TEST(ConformanceHarness, PatchesPointInsideParsedBodies) {
  Value r = Value::parse(R"({"result": {"sections": [
    {"body_format": "SANDBOX", "body": "{\"processes\": [], \"signatures\": [{\"name\": \"a\"}]}"},
    {"body_format": "KEY_VALUE", "body": "{\"b\":  1}"},
    {"body_format": "TEXT", "body": "[1]"},
    {"body_format": "TABLE", "body": "[1]"}]}})");
  parse_bodies(r);
  // Two patches on one body both apply; a whole-body text replacement still works.
  r = r.patch(Value::parse(R"([
    {"op": "add", "path": "/result/sections/0/body/processes/0", "value": {"pid": 1}},
    {"op": "replace", "path": "/result/sections/0/body/signatures/0/name", "value": "\u00e9"},
    {"op": "replace", "path": "/result/sections/3/body", "value": "[2]"}])"));
  print_bodies(r);
  const Value& s = r["result"]["sections"];
  EXPECT_EQ(s[0]["body"], "{\"processes\": [{\"pid\": 1}], \"signatures\": [{\"name\": \"\\u00e9\"}]}");
  EXPECT_EQ(s[1]["body"], "{\"b\":  1}");  // untouched: the reference's text, byte for byte
  EXPECT_EQ(s[2]["body"], "[1]");             // TEXT is never parsed
  EXPECT_EQ(s[3]["body"], "[2]");
  EXPECT_EQ(s[0].size(), 2u);  // no helper keys left behind
}

// Cases still known to differ from the reference (tests/conformance/pending.json: [{"case", "test", "reason"}]).
// Their differences are printed and the test is reported as skipped, so the list is visible in every run and
// shrinks as the engine is completed; a case that passes while listed is reported so it can be removed.
const Value& pending_list() {
  static const Value list = [] {
    auto p = testing::data_dir().parent_path() / "conformance" / "pending.json";
    return fs::exists(p) ? Value::parse(testing::read_file(p)) : Value::array();
  }();
  return list;
}

bool is_pending(const std::string& case_name, const std::string& test) {
  for (const auto& e : pending_list())
    if (e.value("case", "") == case_name && (e.value("test", "") == test || e.value("test", "") == "*")) return true;
  return false;
}

class Conformance : public ::testing::TestWithParam<fs::path> {
 protected:
  // Differences found so far; reported once at the end of the test.
  std::vector<std::string> diffs;

  void check(bool ok, const std::string& what) {
    if (!ok) diffs.push_back(what);
  }

  void finish(const std::string& test) {
    const std::string case_name = GetParam().filename().string();
    std::string all;
    for (const auto& d : diffs) all += d + "\n";
    if (is_pending(case_name, test)) {
      if (diffs.empty()) {
        std::cout << "[ PENDING  ] " << case_name << " " << test << " now passes: remove it from pending.json\n";
        return;
      }
      GTEST_SKIP() << "pending (tests/conformance/pending.json), " << diffs.size() << " difference(s):\n"
                   << all.substr(0, 3000);
    }
    if (!diffs.empty()) ADD_FAILURE() << all;
  }
};

TEST_P(Conformance, ResultMatchesReference) {
  const fs::path dir = GetParam();
  const std::string name = dir.filename().string();
  Outputs got = run_engine(dir);
  Value expected = Value::parse(testing::read_file(dir / "Results" / "result.json"));
  parse_bodies(expected);
  apply_deviations(name, "result", expected);
  print_bodies(expected);

  check(got.result["result"]["score"] == expected["result"]["score"],
        "total score: got " + got.result["result"]["score"].dump() + ", expected " + expected["result"]["score"].dump());
  const Value& gs = got.result["result"]["sections"];
  const Value& es = expected["result"]["sections"];
  std::string got_titles, exp_titles;
  for (const auto& s : gs) got_titles += s["title_text"].get<std::string>() + " | ";
  for (const auto& s : es) exp_titles += s["title_text"].get<std::string>() + " | ";
  check(got_titles == exp_titles, "section titles in order:\n  got      " + got_titles + "\n  expected " + exp_titles);

  Value gp = parsed_sections(got.result), ep = parsed_sections(expected);
  for (size_t i = 0; i < std::min(gp.size(), ep.size()); ++i)
    check(gp[i] == ep[i], "section " + std::to_string(i) + " '" + ep[i]["title_text"].get<std::string>() +
                              "' differs:\n" + Value::diff(ep[i], gp[i]).dump(1).substr(0, 4000));
  // Bodies byte for byte (TEXT and JSON text), where they carry no unordered ATT&CK list.
  for (size_t i = 0; i < std::min(gs.size(), es.size()); ++i) {
    const auto& eb = es[i]["body"];
    if (eb.is_string() && eb.get<std::string>().find("\"attack") == std::string::npos)
      check(gs[i]["body"] == eb, "body text of section " + std::to_string(i) + " '" + es[i]["title_text"].dump() + "'");
  }
  finish("ResultMatchesReference");
}

TEST_P(Conformance, ProcessesSectionDataMatchesReference) {
  const fs::path dir = GetParam();
  Outputs got = run_engine(dir);
  Value expected = Value::parse(testing::read_file(dir / "Results" / "Section.json"));
  apply_deviations(dir.filename().string(), "section_json", expected);
  normalise(expected, false);
  normalise(got.section_json, false);
  check(got.section_json == expected, Value::diff(expected, got.section_json).dump(1).substr(0, 6000));
  finish("ProcessesSectionDataMatchesReference");
}

TEST_P(Conformance, OntologyMatchesReference) {
  const fs::path dir = GetParam();
  Outputs got = run_engine(dir);
  Value expected = Value::parse(testing::read_file(dir / "Results" / "result_ontology.json"));
  apply_deviations(dir.filename().string(), "ontology", expected);
  normalise(expected, true);
  normalise(got.ontology, true);
  check(got.ontology == expected, Value::diff(expected, got.ontology).dump(1).substr(0, 6000));
  finish("OntologyMatchesReference");
}

// The command line (`al-cape report --out`, what outside checkers run) gives exactly the engine's outputs: it
// adds the warm-up thread (analysis/warm_up.hpp), the time zone from the parameters and the file writing.
TEST_P(Conformance, CommandLineWritesTheEngineOutputs) {
  const fs::path dir = GetParam();
  alcape::testing::TempDir tmp("alcape_conformance_cli");  // removed even when an assertion ends the test
  const fs::path out = tmp.path / "out";
  const std::string cmd = std::string("'") + ALCAPE_CLI + "' report '" +
                          (dir / "Report" / "reports" / "lite.json").string() + "' --params '" +
                          testing::harness_params().string() + "' --out '" + out.string() + "' >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  Outputs got = run_engine(dir);
  got.result = result::to_cli_json(got.root, result::HeuristicCatalog::builtin());
  Value cli_result = Value::parse(testing::read_file(out / "result.json"));
  Value cli_sections = Value::parse(testing::read_file(out / "Section.json"));
  Value cli_ontology = Value::parse(testing::read_file(out / "result_ontology.json"));
  normalise(cli_ontology, true);
  normalise(got.ontology, true);
  check(cli_result == got.result, Value::diff(got.result, cli_result).dump(1).substr(0, 4000));
  check(cli_sections == got.section_json, Value::diff(got.section_json, cli_sections).dump(1).substr(0, 4000));
  check(cli_ontology == got.ontology, Value::diff(got.ontology, cli_ontology).dump(1).substr(0, 4000));
  finish("CommandLineWritesTheEngineOutputs");
}

std::string case_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string n = info.param.filename().string();
  if (n.size() == 64) n = n.substr(0, 8);  // sample sha256 -> short id
  for (auto& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Samples, Conformance, ::testing::ValuesIn(testing::conformance_cases()), case_name);

}  // namespace
}  // namespace alcape
