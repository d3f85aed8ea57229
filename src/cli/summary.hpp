// The readable summary of a result for a person at a terminal: score and verdict, heuristics with their
// signatures, tags by type, and the process tree.
#pragma once

#include "json/value.hpp"
#include "result/heuristic_catalog.hpp"
#include "result/section.hpp"

#include <string>
#include <vector>

namespace alcape::cli {

std::string render_summary(const result::Section& root, const json::Value& process_events,
                           const result::HeuristicCatalog& catalog);

// Several reports (al-cape analyze: one per CAPE task): one process tree each, one after the other; none:
// "(no processes)".
std::string render_summary(const result::Section& root, const std::vector<json::Value>& process_events,
                           const result::HeuristicCatalog& catalog);

// Assemblyline's verdict bands for a score.
const char* verdict_for_score(int score);

}  // namespace alcape::cli
