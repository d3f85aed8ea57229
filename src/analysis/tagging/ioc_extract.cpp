#include "analysis/tagging/ioc_extract.hpp"

namespace alcape::analysis {

// Temporary: the IOC hunt follows in the next commit.
void extract_iocs_from_text_blob(std::string_view, result::Section&, const IocExtractOptions&) {}
std::vector<std::string> find_ips(std::string_view) { return {}; }
std::vector<std::string> find_domains(std::string_view) { return {}; }
std::vector<std::string> find_urls(std::string_view) { return {}; }

}  // namespace alcape::analysis
