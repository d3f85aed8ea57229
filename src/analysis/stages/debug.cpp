#include "analysis/stages/debug.hpp"

#include "analysis/stages/py_repr.hpp"
#include "analysis/stages/pystr.hpp"

#include <memory>
#include <set>

namespace alcape::analysis {

namespace {

constexpr const char* kAnalysisErrorsTitle = "Analysis Errors";
constexpr size_t kMinLogErrorLength = 15;

// Monitor messages that are noise at the service level (compared lower-case).
constexpr std::string_view kIgnoredLogErrors[] = {
    "failed to open terminate event for pid",
    "could not open file",
    "not enough memory",
};

// The text add_line(error) shows for one debug.errors entry; nullopt for entries it cannot show (the reference
// raises on None and dicts).
std::optional<std::string> error_line(const json::Value& error) {
  if (error.is_string()) return error.get<std::string>();
  if (error.is_number() || error.is_boolean()) return py_str(error);
  if (error.is_array()) {  // add_line joins a list without separator
    std::string joined;
    for (const auto& part : error) {
      if (!part.is_string()) return std::nullopt;
      joined += part.get_ref<const std::string&>();
    }
    return joined;
  }
  return std::nullopt;
}

// debug.log as lines: a string split on "\n"; a list of strings is taken line by line as well.
std::vector<std::string> log_lines(const json::Value& log) {
  std::vector<std::string> lines;
  auto split = [&lines](const std::string& text) {
    size_t start = 0;
    while (true) {
      size_t nl = text.find('\n', start);
      lines.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  };
  if (log.is_string()) {
    split(log.get_ref<const std::string&>());
  } else if (log.is_array()) {
    for (const auto& item : log) {
      if (item.is_string()) split(item.get_ref<const std::string&>());
    }
  }
  return lines;
}

}  // namespace

void process_debug(AnalysisContext& ctx, result::Section& parent) {
  const json::Value& debug = ctx.report.debug;
  auto section = std::make_unique<result::Section>(kAnalysisErrorsTitle, result::BodyFormat::Text);

  const json::Value& errors = json::get(debug, "errors");
  if (errors.is_array()) {
    for (const auto& error : errors) {
      auto line = error_line(error);
      if (line && !line->empty()) section->add_line(*line);
    }
  }

  // Errors CAPE logs but does not list: the text after the first "error:" of each log line, lower-cased.
  std::set<std::string> seen;
  for (const auto& raw : log_lines(json::get(debug, "log"))) {
    std::string lowered = py::lower(raw);
    size_t pos = lowered.find("error:");
    if (pos == std::string::npos) continue;
    std::string message(py::strip(std::string_view(lowered).substr(pos + 6)));
    bool ignored = false;
    for (auto phrase : kIgnoredLogErrors) {
      if (message.find(phrase) != std::string::npos) ignored = true;
    }
    if (ignored || seen.count(message) || py::length(message) < kMinLogErrorLength) continue;
    seen.insert(message);
    section->add_line(py::capitalize(message));
  }

  if (section->data.is_string() && !section->data.get_ref<const std::string&>().empty())
    parent.add_child(std::move(section));
}

}  // namespace alcape::analysis
