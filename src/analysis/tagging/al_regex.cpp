#include "analysis/tagging/al_regex.hpp"

#include "data/embedded.hpp"
#include "json/value.hpp"

#include <array>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace alcape::analysis {

namespace {

constexpr std::array<std::string_view, static_cast<size_t>(AlRegex::kCount)> kNames = {
    "DOMAIN_REGEX",    "DOMAIN_ONLY_REGEX", "EMAIL_REGEX", "IPV4_REGEX", "IPV6_REGEX",
    "IP_REGEX",        "IP_ONLY_REGEX",     "IPV4_ONLY_REGEX", "IPV6_ONLY_REGEX", "PORT_REGEX",
    "PRIVATE_IP",      "URI_PATH",          "URI_REGEX",   "FULL_URI"};

struct Table {
  Table() {
    json::Value all = json::Value::parse(data::file("al_regexes.json"));
    for (size_t i = 0; i < kNames.size(); ++i) {
      auto s = json::get_string(all, kNames[i]);
      if (!s) throw std::runtime_error("al_regexes.json lacks " + std::string(kNames[i]));
      sources[i] = *s;
    }
  }
  std::array<std::string, kNames.size()> sources;
  std::array<std::unique_ptr<pyre::Regex>, kNames.size()> compiled;
  std::array<std::once_flag, kNames.size()> once;
};

Table& table() {
  static Table t;
  return t;
}

}  // namespace

std::string_view al_regex_source(AlRegex which) { return table().sources.at(static_cast<size_t>(which)); }

const pyre::Regex& al_regex(AlRegex which) {
  Table& t = table();
  const size_t i = static_cast<size_t>(which);
  std::call_once(t.once.at(i), [&] {
    t.compiled[i] = std::make_unique<pyre::Regex>(t.sources[i]);
    if (!t.compiled[i]->ok())  // a build defect, not a data problem: the table is embedded
      throw std::runtime_error(std::string(kNames[i]) + " does not compile: " + t.compiled[i]->error());
  });
  return *t.compiled[i];
}

}  // namespace alcape::analysis
