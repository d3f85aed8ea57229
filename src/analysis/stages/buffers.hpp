// Buffers section and Buffer IOCs (§5.10): decrypted/encrypted buffers (crypto API calls), debug strings and
// network buffers of each monitored process, with the IOCs found in them (network.static.* tags, heuristic 1006).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

inline constexpr std::string_view kBuffersSectionTitle = "Buffers";

// A buffer that looks like a PE file ("MZ" and the DOS stub text). The reference writes these to
// /tmp/buffers/<pid>-<api>-<sha256> for extraction; the analysis only reports them, the service writes them.
struct PeBuffer {
  std::string pid;     // process-map key
  std::string api;     // API call that carried the buffer (the reference's file name has a literal placeholder)
  std::string source;  // "Windows API" (crypto and debug-string calls) or "Network"
  std::string sha256;  // hex digest of `data`
  std::string data;    // the buffer text as UTF-8 bytes, as the reference writes it when it is not a valid PE
};

void process_buffers(AnalysisContext& ctx, result::Section& parent);
// Same, and also returns the PE-looking buffers (all processes, Windows API ones first, report order).
void process_buffers(AnalysisContext& ctx, result::Section& parent, std::vector<PeBuffer>& pe_buffers);

// The text of a network buffer shown and searched for IOCs: the buffer is split at backslashes, the \xNN byte
// escape that starts a fragment is dropped, fragments shorter than 8 characters and "http/1.1" are dropped, and
// the rest is joined with ",". Unlike the reference (which deletes every "x" followed by two letters or digits
// anywhere, turning "example" into "eple"), only real escapes are removed: deviation D-auxstages-1.
std::string remove_bytes_from_buffer(std::string_view buffer);

}  // namespace alcape::analysis
