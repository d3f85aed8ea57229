// Final touches on the result tree (reference-behaviour.md §1.1 steps 12-13).
#pragma once

#include "result/section.hpp"

namespace alcape::pipeline {

// Removes top-level sections that have no subsections (e.g. a target whose flow produced nothing).
void prune_empty_top_level(result::Section& root);

// With more than one top-level section: a subsection whose title was already seen with a heuristic (document
// order, across all top-level sections) loses its heuristic, so scores are not counted once per target.
void deduplicate_heuristics(result::Section& root);

}  // namespace alcape::pipeline
