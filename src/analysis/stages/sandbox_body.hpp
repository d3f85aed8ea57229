// The SANDBOX body of the Processes section, as the v4 service library's SandboxSectionBody builds it from the
// reference's process_events (SandboxProcessItem / SandboxNetflowItem / SandboxSignatureItem primitives).
#pragma once

#include "json/value.hpp"

namespace alcape::analysis {

// {"analysis_information", "processes", "network_connections", "signatures"}
json::Value sandbox_section_body(const json::Value& process_events);

}  // namespace alcape::analysis
