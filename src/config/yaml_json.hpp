// YAML text → JSON value with PyYAML's (YAML 1.1) scalar typing: plain true/false/yes/no/on/off are booleans,
// plain integers and floats are numbers, ~/null are null; quoted scalars always strings.
#pragma once

#include "core/status.hpp"
#include "json/value.hpp"

#include <string_view>

namespace alcape::config {

// Error kInvalidParams with the parser's line/column for malformed YAML; `context` names the source.
StatusOr<json::Value> yaml_to_json(std::string_view yaml_text, const std::string& context = {});

}  // namespace alcape::config
