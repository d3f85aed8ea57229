// Which DLL exports CAPE runs (reference-behaviour.md §3.3 `_parse_dll`, param dll_function, config
// max_dll_exports_exec) and the "Executed Multiple DLL Exports" section text.
#pragma once

#include "planning/pe.hpp"

#include <optional>
#include <string>
#include <vector>

namespace alcape::planning {

struct DllExportSelection {
  std::vector<std::string> executed;  // joined with ':' into options `function=`
  std::vector<std::string> others;    // exports not run (sorted by name)
  bool show_section = false;          // only when more exports than max_dll_exports_exec
};

// `pe` nullopt (not parseable) or without export directory → DllMain, DllRegisterServer.
// Up to max exports → all of them; more → DllMain, DllRegisterServer, the first and last ceil(max*0.1), then the
// least similar ones (ascending average Jaccard similarity of character sets, ties by name) up to max.
DllExportSelection select_dll_exports(const std::optional<PeInfo>& pe, int max_dll_exports_exec);

// Section "Executed Multiple DLL Exports": "The following exports were executed: a, b" and, when others remain,
// "There were <k> other exports: x, y".
inline constexpr const char* kDllExportsTitle = "Executed Multiple DLL Exports";
std::vector<std::string> dll_exports_section_lines(const DllExportSelection& selection);

}  // namespace alcape::planning
