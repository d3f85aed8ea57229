// The service manifest (service_manifest.yml at the repository root): generated from
// data/service_manifest.base.yml + the docker_config below + data/heuristics.yaml, so that the code's defaults,
// the registered manifest and the checked-in file cannot drift apart.
#pragma once

#include "core/status.hpp"
#include "json/value.hpp"

#include <string>
#include <string_view>

namespace alcape::service {

// The image reference must not contain "assemblyline": the scaler would attach the Python health check
// (assemblyline-contract.md §1.6) that this image cannot run.
inline constexpr std::string_view kImageReference = "${REGISTRY}al-cape/al-cape:$SERVICE_TAG";

// The manifest text, $SERVICE_TAG left in place (the image build substitutes it, as AL services do).
std::string generate_manifest_yaml();

// YAML text -> JSON with YAML 1.1-ish scalar typing (quoted -> string; true/false, ints, floats, null).
StatusOr<json::Value> yaml_to_json(std::string_view yaml_text);

// The manifest as registered: `$SERVICE_TAG` replaced by `service_tag` (or "4.7.0.dev0" when empty, like the
// stock run_service).
StatusOr<json::Value> manifest_json(std::string_view yaml_text, const std::string& service_tag);

}  // namespace alcape::service
