#include "cli/summary.hpp"

#include "result/result_json.hpp"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <set>

namespace alcape::cli {
namespace {

void collect(const result::Section& s, const result::HeuristicCatalog& catalog, std::string& heur_out,
             std::map<std::string, std::vector<std::string>>& tags) {
  if (s.heuristic) {
    const auto* def = catalog.find(s.heuristic->heur_id);
    heur_out += fmt::format("  [{:>4}] {} ({}) in \"{}\"\n", catalog.score(*s.heuristic),
                            def ? def->name : "Unknown", s.heuristic->heur_id, s.title);
    for (const auto& [name, freq] : s.heuristic->signatures)
      heur_out += fmt::format("           - {}{}\n", name, freq > 1 ? fmt::format(" x{}", freq) : "");
  }
  for (const auto& [type, values] : s.tags.entries())
    for (const auto& v : values) {
      std::string text = v.is_string() ? v.get<std::string>() : v.dump();
      auto& list = tags[type];
      bool seen = false;
      for (const auto& e : list) seen = seen || e == text;
      if (!seen) list.push_back(text);
    }
  for (const auto& c : s.children) collect(*c, catalog, heur_out, tags);
}

constexpr const char* kNoProcesses = "  (no processes)\n";

std::string process_tree(const json::Value& process_events) {
  const json::Value& procs = json::get(process_events, "processes");
  if (!procs.is_array() || procs.empty()) return kNoProcesses;
  std::set<int64_t> pids;
  for (const auto& p : procs)
    if (auto pid = json::get_int(p, "pid")) pids.insert(*pid);
  std::multimap<int64_t, const json::Value*> by_parent;
  std::vector<const json::Value*> roots;
  for (const auto& p : procs) {
    auto ppid = json::get_int(p, "ppid");
    if (ppid && pids.count(*ppid) && ppid != json::get_int(p, "pid")) by_parent.emplace(*ppid, &p);
    else roots.push_back(&p);
  }
  std::string out;
  std::set<const json::Value*> printed;
  std::function<void(const json::Value&, int)> print = [&](const json::Value& p, int depth) {
    if (!printed.insert(&p).second || depth > 32) return;
    auto pid = json::get_int(p, "pid");
    out += fmt::format("  {}{} ({})", std::string(static_cast<size_t>(depth) * 2, ' '),
                       json::get_string_or(p, "image", "?"), pid ? std::to_string(*pid) : "?");
    if (auto cl = json::get_string(p, "command_line"); cl && !cl->empty()) {
      std::string shown = cl->size() > 120 ? cl->substr(0, 117) + "..." : *cl;
      out += ": " + shown;
    }
    out += '\n';
    if (!pid) return;
    auto range = by_parent.equal_range(*pid);
    for (auto it = range.first; it != range.second; ++it) print(*it->second, depth + 1);
  };
  for (const auto* r : roots) print(*r, 0);
  return out;
}

}  // namespace

const char* verdict_for_score(int score) {
  if (score >= 1000) return "malicious";
  if (score >= 300) return "highly suspicious";
  if (score >= 100) return "suspicious";
  if (score < 0) return "safe";
  return "informative";
}

std::string render_summary(const result::Section& root, const json::Value& process_events,
                           const result::HeuristicCatalog& catalog) {
  return render_summary(root, std::vector<json::Value>{process_events}, catalog);
}

std::string render_summary(const result::Section& root, const std::vector<json::Value>& process_events,
                           const result::HeuristicCatalog& catalog) {
  int score = result::total_score(root, catalog);
  std::string heur, out;
  std::map<std::string, std::vector<std::string>> tags;
  collect(root, catalog, heur, tags);
  out += fmt::format("Score: {} ({})\n\n", score, verdict_for_score(score));
  out += "Heuristics:\n" + (heur.empty() ? std::string("  (none)\n") : heur);
  out += "\nTags:\n";
  if (tags.empty()) out += "  (none)\n";
  for (const auto& [type, values] : tags) {
    out += "  " + type + ":\n";
    for (const auto& v : values) out += "    " + v + "\n";
  }
  std::string trees;
  for (const auto& events : process_events)
    if (std::string t = process_tree(events); t != kNoProcesses) trees += t;
  out += "\nProcess tree:\n" + (trees.empty() ? std::string(kNoProcesses) : trees);
  return out;
}

}  // namespace alcape::cli
