// Assemblyline's JSON log lines on stdout (assemblyline-base common/logformat.py), one object per line, so the
// container logs read like any other service's in Kibana. LOG_LEVEL (DEBUG/INFO/WARNING/ERROR) filters them.
// Never pass API keys or tokens to these functions.
#pragma once

#include <string>
#include <string_view>

namespace alcape::service::log {

enum class Level { kDebug = 10, kInfo = 20, kWarning = 30, kError = 40 };

void set_level(Level level);
// "DEBUG", "INFO", "WARNING"/"WARN", "ERROR"/"CRITICAL"; anything else leaves the level unchanged.
void set_level_from_name(std::string_view name);
bool enabled(Level level);

// One JSON line: {"@timestamp", "event", "host", "log": {"level", "logger"}, "process", "message"}.
std::string format_line(Level level, std::string_view message);
void write(Level level, std::string_view message);

inline void debug(std::string_view m) { write(Level::kDebug, m); }
inline void info(std::string_view m) { write(Level::kInfo, m); }
inline void warning(std::string_view m) { write(Level::kWarning, m); }
inline void error(std::string_view m) { write(Level::kError, m); }

}  // namespace alcape::service::log
