// The result JSON the CLI prints (--json) and writes (result.json), shared by `report` and `analyze`.
#pragma once

#include "json/value.hpp"
#include "result/heuristic_catalog.hpp"
#include "result/section.hpp"

namespace alcape::cli {

// The harness' result shape, whose heuristic objects also carry the v4 wire fields (attack_ids, signatures,
// frequency, score_map) so one file serves both comparison with the reference and inspection of what would be
// posted.
json::Value cli_result_json(const result::Section& root, const result::HeuristicCatalog& catalog);

}  // namespace alcape::cli
