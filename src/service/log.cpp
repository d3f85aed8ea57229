#include "service/log.hpp"

#include "json/value.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace alcape::service::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_mutex;

const char* level_name(Level l) {
  switch (l) {
    case Level::kDebug: return "DEBUG";
    case Level::kInfo: return "INFO";
    case Level::kWarning: return "WARNING";
    case Level::kError: return "ERROR";
  }
  return "INFO";
}

std::string hostname() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

// Python logging's asctime: "2026-08-20 14:01:02,123".
std::string asctime_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  char out[80];
  std::snprintf(out, sizeof out, "%s,%03d", buf, static_cast<int>(ms));
  return out;
}

}  // namespace

void set_level(Level level) { g_level = static_cast<int>(level); }

void set_level_from_name(std::string_view name) {
  std::string n(name);
  for (auto& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (n == "DEBUG") set_level(Level::kDebug);
  else if (n == "INFO") set_level(Level::kInfo);
  else if (n == "WARNING" || n == "WARN") set_level(Level::kWarning);
  else if (n == "ERROR" || n == "CRITICAL") set_level(Level::kError);
}

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

std::string format_line(Level level, std::string_view message) {
  static const std::string host = hostname();
  static const std::string pid = std::to_string(getpid());
  json::Value line = json::Value::object();
  line["@timestamp"] = asctime_now();
  line["event"] = {{"module", "assemblyline"}, {"dataset", "assemblyline.service.cape"}};
  line["host"] = {{"ip", ""}, {"hostname", host}};
  line["log"] = {{"level", level_name(level)}, {"logger", "assemblyline.service.cape"}};
  line["process"] = {{"pid", pid}};
  line["message"] = std::string(message);
  return line.dump(-1, ' ', false, json::Value::error_handler_t::replace);
}

void write(Level level, std::string_view message) {
  if (!enabled(level)) return;
  std::string line = format_line(level, message);
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace alcape::service::log
