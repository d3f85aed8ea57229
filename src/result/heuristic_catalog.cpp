#include "result/heuristic_catalog.hpp"

#include "data/embedded.hpp"

#include "core/yaml.hpp"
#include "json/pydump.hpp"

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
  auto parsed = yaml::parse(yaml_text, "heuristics");
  if (!parsed.ok()) throw std::runtime_error(parsed.error().describe());
  const json::Value& list = json::get(parsed.value(), "heuristics");
  if (!list.is_array()) throw std::runtime_error("heuristics YAML has no `heuristics:` list");
  // Scalars as Assemblyline's manifest loader reads them: numbers for ids and scores, text otherwise.
  auto text = [](const json::Value& v, const char* fallback) {
    return v.is_string() ? v.get<std::string>() : v.is_null() ? std::string(fallback) : json::py_dumps(v);
  };
  auto number = [](const json::Value& v, int fallback) { return v.is_number_integer() ? v.get<int>() : fallback; };
  for (const auto& n : list) {
    HeuristicDefinition d;
    if (!json::get(n, "heur_id").is_number_integer()) throw std::runtime_error("heuristics YAML: an entry without an integer heur_id");
    d.heur_id = json::get(n, "heur_id").get<int>();
    d.name = text(json::get(n, "name"), "");
    d.score = number(json::get(n, "score"), 0);
    if (json::get(n, "max_score").is_number_integer()) d.max_score = json::get(n, "max_score").get<int>();
    const json::Value& attack = json::get(n, "attack_id");
    if (attack.is_array())
      for (const auto& a : attack) d.attack_ids.push_back(text(a, ""));
    else if (!attack.is_null())
      d.attack_ids.push_back(text(attack, ""));
    const json::Value& score_map = json::get(n, "signature_score_map");
    if (score_map.is_object())
      for (auto it = score_map.begin(); it != score_map.end(); ++it) d.signature_score_map[it.key()] = number(it.value(), 0);
    d.description = text(json::get(n, "description"), "");
    d.filetype = text(json::get(n, "filetype"), "*");
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
