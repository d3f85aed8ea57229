// Minimal, bounds-checked PE parsing of untrusted bytes: the header facts planning needs (bitness, DLL flag) and
// the export table for DLL export selection (reference-behaviour.md §3.3 `_parse_dll`).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace alcape::planning {

struct PeInfo {
  bool pe64 = false;               // PE32+ optional header
  bool dll = false;                // IMAGE_FILE_DLL
  uint16_t machine = 0;            // IMAGE_FILE_HEADER.Machine
  bool has_export_directory = false;
  // Export names in table order (by ordinal); nameless exports as "#<ordinal>".
  std::vector<std::string> exports;
};

// nullopt when the bytes are not a well-formed PE (any offset out of range, bad signature).
std::optional<PeInfo> parse_pe(std::span<const uint8_t> bytes);

}  // namespace alcape::planning
