// The result sections built from a run's artifacts (reference-behaviour.md §1.1 step 11, §7): the per-task
// screenshot image section and the run's top-level "Sandbox Artifacts" section (OntologyResults.handle_artifacts).
#pragma once

#include "pipeline/pipeline.hpp"
#include "result/section.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace alcape::pipeline {

// The heuristic the reference passes as handle_artifacts' injection_heur_id ("Injection", score 0).
inline constexpr int kInjectionHeuristic = 32;

// "Screenshots taken during Task <id>": a MULTI section with the optional anti-VM note (TEXT part) and one IMAGE
// part whose entries reference the uploaded screenshots ({"img": {name, description, sha256}, "thumb": {...}}).
// Null when there are no screenshots. The thumbnail entry references the screenshot itself (al-cape does not
// re-encode images; see docs/deviations.md (client)).
std::unique_ptr<result::Section> screenshots_section(int64_t task_id, const std::vector<Artifact>& screenshots,
                                                     bool antivm_note);

// Top-level "Sandbox Artifacts" (auto-collapse) → "HollowsHunter Injected Portable Executable" listing every
// HollowsHunter PE dump of every task, each a dynamic.process.file_name tag and a hollowshunter_exe/_dll signature of
// the injection heuristic. Null when there are no dumps.
std::unique_ptr<result::Section> sandbox_artifacts_section(const std::vector<std::string>& hollowshunter_dumps);

}  // namespace alcape::pipeline
