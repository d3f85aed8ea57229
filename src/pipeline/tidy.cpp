#include "pipeline/tidy.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace alcape::pipeline {

void prune_empty_top_level(result::Section& root) {
  auto& c = root.children;
  c.erase(std::remove_if(c.begin(), c.end(), [](const auto& s) { return s->children.empty(); }), c.end());
}

namespace {
void walk(result::Section& section, std::set<std::string>& seen) {
  for (auto& child : section.children) {
    if (child->heuristic) {
      if (!seen.insert(child->title).second) child->clear_heuristic();
    }
    walk(*child, seen);
  }
}
}  // namespace

void deduplicate_heuristics(result::Section& root) {
  if (root.children.size() <= 1) return;
  std::set<std::string> seen;
  for (auto& top : root.children) walk(*top, seen);
}

}  // namespace alcape::pipeline
