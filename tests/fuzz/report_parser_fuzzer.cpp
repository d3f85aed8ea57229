// libFuzzer target: arbitrary bytes through the report reader and, when they read as a report, through the whole
// analysis and the result serialisation. Nothing may crash, leak, hang or trip a sanitizer: every report field
// may be missing, null or of another type (HELPER-BRIEF rule), and the reader must refuse or repair any input.
//
// Build and run: scripts/fuzz-smoke.sh (clang, -DALCAPE_FUZZ=ON, seeds in tests/fuzz/seeds).
#include "analysis/analyze.hpp"
#include "json/pydump.hpp"
#include "report/reader.hpp"
#include "result/heuristic_catalog.hpp"
#include "result/result_json.hpp"

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string_view>

namespace {

const alcape::analysis::ParserParams& params() {
  // The built-in parameters (embedded safelists): no file I/O while fuzzing.
  static const alcape::analysis::ParserParams p = alcape::analysis::default_params();
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("TZ", "UTC", 1);
  tzset();
  (void)params();
  (void)alcape::result::HeuristicCatalog::builtin();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alcape;
  report::ReadOptions options = analysis::analysis_read_options();
  options.max_bytes = 4u << 20;
  options.max_depth = 256;
  auto rep = report::parse_report(std::string_view(reinterpret_cast<const char*>(data), size), options, "fuzz");
  if (!rep.ok()) return 0;
  result::Section root("Parent");
  analysis::AnalysisOutput out = analysis::analyze_report(rep.value(), params(), root);
  const auto& catalog = result::HeuristicCatalog::builtin();
  // Serialise everything the service would post or write.
  std::string text = json::py_dumps_indent(result::to_harness_json(root, catalog), 4);
  text += json::py_dumps(result::to_wire_json(root, catalog));
  text += json::py_dumps(out.process_events);
  text += json::py_dumps_indent(out.ontology, 4);
  return text.empty() ? 1 : 0;
}
