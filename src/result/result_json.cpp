#include "result/result_json.hpp"

namespace alcape::result {
namespace {

json::Value harness_heuristic(const Heuristic& h, const HeuristicCatalog& catalog) {
  json::Value out = json::Value::object();
  const auto* def = catalog.find(h.heur_id);
  out["heur_id"] = h.heur_id;
  out["score"] = catalog.score(h);
  out["name"] = def ? def->name : std::string("Unknown");
  json::Value attack = json::Value::array();
  for (const auto& id : catalog.attack_ids(h)) {
    json::Value e = catalog.attack_entry(id);
    if (!e.is_null()) attack.push_back(std::move(e));
  }
  out["attack"] = std::move(attack);
  json::Value sigs = json::Value::array();
  for (const auto& [name, freq] : h.signatures) {
    json::Value s = json::Value::object();
    s["name"] = name;
    s["frequency"] = freq;
    s["safe"] = false;
    sigs.push_back(std::move(s));
  }
  out["signature"] = std::move(sigs);
  return out;
}

json::Value wire_heuristic(const Heuristic& h, const HeuristicCatalog& catalog) {
  json::Value out = json::Value::object();
  out["heur_id"] = h.heur_id;
  out["score"] = catalog.score(h);
  json::Value ids = json::Value::array();
  for (const auto& id : catalog.attack_ids(h)) ids.push_back(id);
  out["attack_ids"] = std::move(ids);
  json::Value sigs = json::Value::object();
  for (const auto& [name, freq] : h.signatures) sigs[name] = freq;
  out["signatures"] = std::move(sigs);
  out["frequency"] = h.signatures.empty() ? h.frequency : 0;
  json::Value score_map = json::Value::object();
  for (const auto& [name, score] : h.score_map) score_map[name] = score;
  out["score_map"] = std::move(score_map);
  return out;
}

// The wire format lists a section's keys in another order than the harness (key order is kept in the output).
constexpr const char* kWireKeyOrder[] = {"title_text", "body",    "body_format", "body_config",
                                         "classification", "depth", "heuristic", "tags",
                                         "zeroize_on_tag_safe", "auto_collapse", "promote_to"};

template <typename HeuristicWriter>
void flatten(const Section& s, int depth, json::Value& out, const HeuristicWriter& write_heuristic, bool wire) {
  if (s.title.empty()) {  // an untitled root: its children are the top-level sections
    for (const auto& c : s.children) flatten(*c, depth, out, write_heuristic, wire);
    return;
  }
  json::Value j = json::Value::object();
  auto body = s.body_text();
  j["body"] = body ? json::Value(*body) : json::Value(nullptr);
  j["classification"] = s.classification;
  j["body_format"] = std::string(to_string(s.format));
  j["body_config"] = s.body_config;
  j["depth"] = depth;
  j["heuristic"] = s.heuristic ? write_heuristic(*s.heuristic) : json::Value(nullptr);
  j["tags"] = s.tags.nested();
  j["title_text"] = s.title;
  j["zeroize_on_tag_safe"] = s.zeroize_on_tag_safe;
  j["auto_collapse"] = s.auto_collapse;
  j["promote_to"] = s.promote_to ? json::Value(*s.promote_to) : json::Value(nullptr);
  if (wire) {
    json::Value w = json::Value::object();
    for (const char* key : kWireKeyOrder) w[key] = std::move(j[key]);
    j = std::move(w);
  }
  out.push_back(std::move(j));
  for (const auto& c : s.children) flatten(*c, depth + 1, out, write_heuristic, wire);
}

template <typename HeuristicWriter>
json::Value harness_shape(const Section& root, const HeuristicCatalog& catalog, const HeuristicWriter& writer) {
  json::Value sections = json::Value::array();
  flatten(root, 0, sections, writer, false);
  json::Value result = json::Value::object();
  result["score"] = total_score(root, catalog);
  result["sections"] = std::move(sections);
  json::Value out = json::Value::object();
  out["result"] = std::move(result);
  return out;
}

}  // namespace

int total_score(const Section& root, const HeuristicCatalog& catalog) {
  int total = root.heuristic ? catalog.score(*root.heuristic) : 0;
  for (const auto& c : root.children) total += total_score(*c, catalog);
  return total;
}

json::Value to_harness_json(const Section& root, const HeuristicCatalog& catalog) {
  return harness_shape(root, catalog, [&](const Heuristic& h) { return harness_heuristic(h, catalog); });
}

json::Value to_wire_json(const Section& root, const HeuristicCatalog& catalog) {
  json::Value sections = json::Value::array();
  flatten(root, 0, sections, [&](const Heuristic& h) { return wire_heuristic(h, catalog); }, true);
  json::Value out = json::Value::object();
  out["score"] = total_score(root, catalog);
  out["sections"] = std::move(sections);
  return out;
}

json::Value to_cli_json(const Section& root, const HeuristicCatalog& catalog) {
  return harness_shape(root, catalog, [&](const Heuristic& h) {
    json::Value j = harness_heuristic(h, catalog);
    json::Value w = wire_heuristic(h, catalog);
    for (const char* k : {"attack_ids", "signatures", "frequency", "score_map"}) j[k] = std::move(w[k]);
    return j;
  });
}

}  // namespace alcape::result
