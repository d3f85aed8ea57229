#include "analysis/ontology/sandbox_validation.hpp"

namespace alcape::analysis::ontology {

std::optional<json::Value> validate_sandbox_event(const json::Value& item, SandboxEventKind kind) {
  // FIRST VERSION: accepts every dict; the schema checks follow.
  if (!item.is_object()) return std::nullopt;
  return item;
}

}  // namespace alcape::analysis::ontology
