// The heuristics of the service manifest (data/heuristics.yaml) and the ATT&CK names behind their ids
// (data/attack_map.json): what Assemblyline uses to score a section and to display its ATT&CK entries.
#pragma once

#include "json/value.hpp"
#include "result/section.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace alcape::result {

struct HeuristicDefinition {
  int heur_id = 0;
  std::string name;
  int score = 0;
  std::optional<int> max_score;
  std::vector<std::string> attack_ids;
  std::map<std::string, int> signature_score_map;
  std::string description;
  std::string filetype;
};

class HeuristicCatalog {
 public:
  // The catalog built from the embedded data/heuristics.yaml (parsed once).
  static const HeuristicCatalog& builtin();
  // Parses a manifest-style YAML with a top-level `heuristics:` list; throws std::runtime_error on bad input.
  static HeuristicCatalog from_yaml(std::string_view yaml_text);

  const HeuristicDefinition* find(int heur_id) const;
  const std::vector<HeuristicDefinition>& all() const { return list_; }

  // Score as the server computes it (assemblyline-base common/heuristics.py): per signature the manifest's
  // signature_score_map, else the service score_map, else the default score, times frequency; capped by max_score.
  int score(const Heuristic& h) const;
  // ATT&CK ids after defaults, revocation and validation (unknown ids dropped), de-duplicated in order.
  std::vector<std::string> attack_ids(const Heuristic& h) const;
  // {"attack_id", "pattern", "categories"} for a known id, or null.
  json::Value attack_entry(const std::string& attack_id) const;

 private:
  std::vector<HeuristicDefinition> list_;
  json::Value attack_map_;
  json::Value revoke_map_;
};

}  // namespace alcape::result
