// The library's time strings: "%Y-%m-%d %H:%M:%S.%f" (LOCAL_FMT_WITH_MS), parsed as Python's strptime does.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace alcape::analysis::ontology {

// Microseconds since 1970-01-01 00:00:00 of a naive "%Y-%m-%d %H:%M:%S.%f" time (strptime rules: 1-2 digit
// fields, 1-6 fraction digits, whitespace run for the space), or nullopt when it does not parse.
std::optional<int64_t> parse_local_time_with_ms(std::string_view ts);

inline bool is_local_time_with_ms(std::string_view ts) { return parse_local_time_with_ms(ts).has_value(); }

}  // namespace alcape::analysis::ontology
