// Process-map lookups by a pid given as text, as the reference does with process_map.get(int(pid)).
#pragma once

#include "json/value.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace alcape::analysis {

// Python int(text) for decimal text (pytext::py_int), as the decimal string the process map uses as key; nullopt
// when Python would raise ValueError.
std::optional<std::string> pid_key_from_text(std::string_view text);

// The process-map entry of a pid given as text (a report key such as curtain's or hollowshunter's), or nullptr.
const json::Value* find_process_by_pid_text(const json::Value& process_map, std::string_view pid_text);

}  // namespace alcape::analysis
