#include "planning/dll_exports.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace alcape::planning {
namespace {

// Jaccard similarity of the character sets of two strings (the reference indexes raw strings, i.e. characters).
double jaccard(const std::set<char>& a, const std::set<char>& b) {
  size_t common = 0;
  for (char c : a) common += b.count(c);
  size_t all = a.size() + b.size() - common;
  return all == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(all);
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

DllExportSelection select_dll_exports(const std::optional<PeInfo>& pe, int max_dll_exports_exec) {
  std::vector<std::string> available;
  // Deviation: an export directory without exports also falls back (the reference sends an empty `function=`).
  if (pe && pe->has_export_directory && !pe->exports.empty()) {
    available = pe->exports;
  } else {
    available = {"DllMain", "DllRegisterServer"};
  }

  DllExportSelection out;
  const size_t max = static_cast<size_t>(std::max(max_dll_exports_exec, 0));
  if (available.size() > max) {
    const size_t n = static_cast<size_t>(std::ceil(static_cast<double>(max) * 0.1));
    out.executed = {"DllMain", "DllRegisterServer"};
    for (size_t i = 0; i < n && i < available.size(); ++i) out.executed.push_back(available[i]);
    for (size_t i = available.size() - std::min(n, available.size()); i < available.size(); ++i) {
      out.executed.push_back(available[i]);
    }
    if (available.size() <= 300) {
      // Least common first: ascending average similarity to all exports at or above 0.1 (itself included).
      std::vector<std::set<char>> sets;
      for (const auto& e : available) sets.emplace_back(e.begin(), e.end());
      std::vector<std::pair<double, std::string>> scores;
      for (size_t i = 0; i < available.size(); ++i) {
        if (available[i].empty()) continue;
        double sum = 0;
        size_t count = 0;
        for (size_t j = 0; j < available.size(); ++j) {
          double s = jaccard(sets[i], sets[j]);
          if (s >= 0.1) {
            sum += s;
            ++count;
          }
        }
        scores.emplace_back(count ? sum / static_cast<double>(count) : 0.0, available[i]);
      }
      std::sort(scores.begin(), scores.end());
      for (const auto& [score, name] : scores) {
        if (out.executed.size() >= max) break;
        if (!contains(out.executed, name)) out.executed.push_back(name);
      }
    } else {
      const size_t middle = max > out.executed.size() ? max - out.executed.size() : 0;
      for (size_t i = n; i < n + middle && i < available.size(); ++i) out.executed.push_back(available[i]);
    }
  } else {
    out.executed = available;
  }
  std::set<std::string> others(available.begin(), available.end());
  for (const auto& e : out.executed) others.erase(e);
  out.others.assign(others.begin(), others.end());
  out.show_section = !available.empty();  // the reference always adds it (DllMain/DllRegisterServer at least)
  return out;
}

std::vector<std::string> dll_exports_section_lines(const DllExportSelection& selection) {
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& e : v) s += (s.empty() ? "" : ", ") + e;
    return s;
  };
  std::vector<std::string> lines{"The following exports were executed: " + join(selection.executed)};
  if (!selection.others.empty()) {
    lines.push_back("There were " + std::to_string(selection.others.size()) + " other exports: " +
                    join(selection.others));
  }
  return lines;
}

}  // namespace alcape::planning
