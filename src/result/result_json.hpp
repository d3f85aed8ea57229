// Writes a section tree as JSON in the two shapes al-cape needs:
//  - the reference test harness shape (Results/result.json of the samples): {"result": {"score", "sections"}}
//    with server-side heuristic objects (name, score, attack entries, signature list);
//  - the Assemblyline v4 wire shape a service posts (assemblyline-contract.md §3): heuristic objects with
//    heur_id/attack_ids/signatures/frequency/score_map.
// Both flatten the tree in pre-order with `depth`, drop untitled sections and encode bodies as strings.
#pragma once

#include "json/value.hpp"
#include "result/heuristic_catalog.hpp"
#include "result/section.hpp"

namespace alcape::result {

// Harness shape: {"result": {"score": N, "sections": [...]}}.
json::Value to_harness_json(const Section& root, const HeuristicCatalog& catalog);

// Wire shape of result.sections plus the computed score: {"score": N, "sections": [...]}.
json::Value to_wire_json(const Section& root, const HeuristicCatalog& catalog);

// What `al-cape report` / `analyze` print (--json) and write (result.json): the harness shape, whose heuristic
// objects also carry the v4 wire fields (attack_ids, signatures, frequency, score_map), so one file serves both
// comparison with the reference and inspection of what would be posted.
json::Value to_cli_json(const Section& root, const HeuristicCatalog& catalog);

// Σ section heuristic scores over the whole tree (what the server stores as the result score).
int total_score(const Section& root, const HeuristicCatalog& catalog);

}  // namespace alcape::result
