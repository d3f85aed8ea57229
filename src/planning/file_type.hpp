// Assemblyline file type of a file, for `al-cape analyze` (Assemblyline gives it to the service). From the bytes:
// PE header (pe32/pe64/dll32/dll64), ELF class, zip-based formats, PDF/OLE, script heuristics, then libmagic.
#pragma once

#include "core/status.hpp"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace alcape::planning {

// Pure: the bytes (the head of the file is enough; 64 KiB is read by identify_file) and the file name (its
// extension is only a tie breaker for scripts). Never fails: "unknown" when nothing matches.
// Results: executable/windows/{pe32,pe64,dll32,dll64}, executable/linux/{elf32,elf64}, archive/{zip,rar,7-zip,iso},
// document/pdf, document/office/{word,excel,powerpoint,ole,rtf}, code/{batch,ps1,javascript,vbs,hta,html,python,
// wsf}, shortcut/windows, text/plain, unknown.
std::string identify_file_type(std::span<const uint8_t> bytes, std::string_view file_name = {});

// Reads the head of `path` and calls identify_file_type. Error kUnreadable naming the path.
StatusOr<std::string> identify_file(const std::filesystem::path& path);

}  // namespace alcape::planning
