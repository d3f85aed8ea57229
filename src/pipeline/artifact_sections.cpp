#include "pipeline/artifact_sections.hpp"

#include "artifacts/classify.hpp"

namespace alcape::pipeline {

std::unique_ptr<result::Section> screenshots_section(int64_t task_id, const std::vector<Artifact>& screenshots,
                                                     bool antivm_note) {
  if (screenshots.empty()) return nullptr;
  auto s = std::make_unique<result::Section>(artifacts::screenshots_section_title(task_id), result::BodyFormat::Multi);
  if (antivm_note) s->add_part(result::BodyFormat::Text, artifacts::kAntivmScreenshotNote);
  json::Value images = json::Value::array();
  for (const auto& a : screenshots) {
    json::Value img = {{"name", a.name}, {"description", a.description}, {"sha256", a.sha256}};
    json::Value thumb = {{"name", a.name + ".thumb"}, {"description", a.description + " (thumbnail)"},
                         {"sha256", a.sha256}};
    images.push_back({{"img", std::move(img)}, {"thumb", std::move(thumb)}});
  }
  s->add_part(result::BodyFormat::Image, std::move(images));
  return s;
}

std::unique_ptr<result::Section> sandbox_artifacts_section(const std::vector<std::string>& dumps) {
  if (dumps.empty()) return nullptr;
  auto top = std::make_unique<result::Section>(artifacts::kSandboxArtifactsTitle);
  top->auto_collapse = true;
  auto& hh = top->add_child(artifacts::kHollowsHunterTitle);
  auto& heur = hh.set_heuristic(kInjectionHeuristic);
  hh.add_lines(artifacts::hollowshunter_section_lines(dumps));
  for (const auto& name : dumps) {
    hh.tags.add("dynamic.process.file_name", name);
    heur.add_signature_id(artifacts::hollowshunter_signature(name));
  }
  return top;
}

}  // namespace alcape::pipeline
