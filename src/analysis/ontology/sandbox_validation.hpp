// The reference's validate_sandbox_event (cape_result.py, a Cerberus schema per kind of item with
// purge_unknown=True): the items behind the Processes (SANDBOX) section are checked, and invalid ones are dropped.
#pragma once

#include "json/value.hpp"

#include <optional>

namespace alcape::analysis::ontology {

enum class SandboxEventKind { Process, NetworkConnection, Signature, AnalysisInformation, Complete };

// The normalised item (unknown keys purged, integer coercions applied) when it is valid, nullopt when it is
// not (or is not a dict). The caller keeps the returned value: it equals the input when nothing was normalised.
std::optional<json::Value> validate_sandbox_event(const json::Value& item, SandboxEventKind kind);

// Builds the schemas (and compiles their patterns) now rather than on the first validation.
void prepare_sandbox_validation();

}  // namespace alcape::analysis::ontology
