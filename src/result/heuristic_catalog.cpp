#include "result/heuristic_catalog.hpp"

#include "data/embedded.hpp"

#include <yaml-cpp/yaml.h>

#include <stdexcept>

namespace alcape::result {
namespace {

void load_attack_data(json::Value& attack_map, json::Value& revoke_map) {
  json::Value doc = json::Value::parse(data::file("attack_map.json"));
  attack_map = doc.at("attack_map");
  revoke_map = doc.at("revoke_map");
}

}  // namespace

HeuristicCatalog HeuristicCatalog::from_yaml(std::string_view yaml_text) {
  HeuristicCatalog cat;
  YAML::Node root = YAML::Load(std::string(yaml_text));
  YAML::Node list = root["heuristics"];
  if (!list || !list.IsSequence()) throw std::runtime_error("heuristics YAML has no `heuristics:` list");
  for (const auto& n : list) {
    HeuristicDefinition d;
    d.heur_id = n["heur_id"].as<int>();
    d.name = n["name"].as<std::string>("");
    d.score = n["score"].as<int>(0);
    if (n["max_score"]) d.max_score = n["max_score"].as<int>();
    if (n["attack_id"]) {
      if (n["attack_id"].IsSequence())
        for (const auto& a : n["attack_id"]) d.attack_ids.push_back(a.as<std::string>());
      else
        d.attack_ids.push_back(n["attack_id"].as<std::string>());
    }
    if (n["signature_score_map"])
      for (const auto& kv : n["signature_score_map"]) d.signature_score_map[kv.first.as<std::string>()] = kv.second.as<int>();
    d.description = n["description"].as<std::string>("");
    d.filetype = n["filetype"].as<std::string>("*");
    // Like Assemblyline's get_heuristics(): a later definition of the same id replaces the earlier one.
    bool replaced = false;
    for (auto& existing : cat.list_)
      if (existing.heur_id == d.heur_id) { existing = d; replaced = true; }
    if (!replaced) cat.list_.push_back(std::move(d));
  }
  load_attack_data(cat.attack_map_, cat.revoke_map_);
  return cat;
}

const HeuristicCatalog& HeuristicCatalog::builtin() {
  static const HeuristicCatalog kCatalog = from_yaml(data::file("heuristics.yaml"));
  return kCatalog;
}

const HeuristicDefinition* HeuristicCatalog::find(int heur_id) const {
  for (const auto& d : list_)
    if (d.heur_id == heur_id) return &d;
  return nullptr;
}

int HeuristicCatalog::score(const Heuristic& h) const {
  const HeuristicDefinition* def = find(h.heur_id);
  if (!def) return 0;
  long total = 0;
  if (!h.signatures.empty()) {
    for (const auto& [name, freq] : h.signatures) {
      int s = def->score;
      if (auto it = def->signature_score_map.find(name); it != def->signature_score_map.end()) s = it->second;
      else if (auto it2 = h.score_map.find(name); it2 != h.score_map.end()) s = it2->second;
      total += static_cast<long>(s) * freq;
    }
  } else {
    total = static_cast<long>(def->score) * (h.frequency ? h.frequency : 1);
  }
  if (def->max_score && *def->max_score) total = std::min<long>(total, *def->max_score);
  return static_cast<int>(total);
}

std::vector<std::string> HeuristicCatalog::attack_ids(const Heuristic& h) const {
  std::vector<std::string> in = h.attack_ids;
  if (in.empty())
    if (const auto* def = find(h.heur_id)) in = def->attack_ids;
  std::vector<std::string> out;
  for (const auto& id : in) {
    std::string resolved;
    if (attack_map_.contains(id)) resolved = id;
    else if (revoke_map_.contains(id)) resolved = revoke_map_[id].get<std::string>();
    else continue;
    bool dup = false;
    for (const auto& o : out) dup = dup || o == resolved;
    if (!dup) out.push_back(resolved);
  }
  return out;
}

json::Value HeuristicCatalog::attack_entry(const std::string& attack_id) const {
  if (!attack_map_.contains(attack_id)) return nullptr;
  const auto& e = attack_map_[attack_id];
  json::Value out = json::Value::object();
  out["attack_id"] = attack_id;
  out["pattern"] = e.at("pattern");
  out["categories"] = e.at("categories");
  return out;
}

}  // namespace alcape::result
