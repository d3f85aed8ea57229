#include "cli/result_output.hpp"

#include "result/result_json.hpp"

namespace alcape::cli {

json::Value cli_result_json(const result::Section& root, const result::HeuristicCatalog& catalog) {
  json::Value harness = result::to_harness_json(root, catalog);
  json::Value wire = result::to_wire_json(root, catalog);
  auto& hs = harness["result"]["sections"];
  const auto& ws = wire["sections"];
  for (size_t i = 0; i < hs.size() && i < ws.size(); ++i) {
    if (hs[i]["heuristic"].is_null()) continue;
    for (const char* k : {"attack_ids", "signatures", "frequency", "score_map"}) hs[i]["heuristic"][k] = ws[i]["heuristic"][k];
  }
  return harness;
}

}  // namespace alcape::cli
