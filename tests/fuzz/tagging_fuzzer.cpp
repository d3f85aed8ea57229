// libFuzzer target for the tagging module: arbitrary bytes go through the multidecoder finders, the IOC hunt,
// add_tag for every validated tag type, and the safelist checks. Build with -DALCAPE_FUZZ=ON (clang).
#include "analysis/tagging/ioc_extract.hpp"
#include "analysis/tagging/safelist.hpp"
#include "analysis/tagging/tag_helper.hpp"
#include "data/embedded.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace alcape;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const analysis::Safelist safelist = [] {
    auto d = analysis::SafelistData::from_yaml(data::file("system_safelist.yaml"));
    d.merge(analysis::SafelistData::from_yaml(data::file("tag_safelist_default.yml")));
    return analysis::Safelist(std::move(d));
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  analysis::find_ips(text);
  analysis::find_domains(text);
  analysis::find_urls(text);
  result::Section table("IOCs", result::BodyFormat::Table);
  analysis::IocExtractOptions options;
  options.safelist = &safelist;
  options.enforce_char_min = size % 2;
  analysis::extract_iocs_from_text_blob(text, table, options);
  for (const char* tag : {"network.dynamic.uri", "network.static.domain", "network.dynamic.ip", "network.dynamic.uri_path",
                          "file.string.extracted"})
    analysis::add_tag(table, tag, json::Value(text), &safelist);
  safelist.contains_safelisted_value(text);
  safelist.is_tag_safelisted(text, std::vector<std::string_view>{"dynamic.process.command_line", "network.dynamic.uri"});
  return 0;
}
