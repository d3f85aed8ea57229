#include "analysis/tagging/al_regex.hpp"
#include "analysis/tagging/ioc_extract.hpp"
#include "analysis/tagging/safelist.hpp"
#include "analysis/tagging/tag_helper.hpp"
#include "json/pydump.hpp"
#include <iostream>
#include <map>
using namespace alcape;
using namespace alcape::analysis;
int main() {
  std::map<std::string, std::unique_ptr<Safelist>> cache;
  std::string line;
  auto get_sl = [&](const json::Value& j) -> Safelist* {
    if (j.is_null()) return nullptr;
    std::string k = j.dump();
    auto& p = cache[k];
    if (!p) p = std::make_unique<Safelist>(SafelistData::from_yaml(k));
    return p.get();
  };
  while (std::getline(std::cin, line)) {
    json::Value in = json::Value::parse(line);
    std::string op = in["op"];
    json::Value out;
    if (op == "validate" || op == "add") {
      result::Section s("x", result::BodyFormat::Table);
      if (op == "validate") {
        auto o = validate_tag(s, in["tag"].get<std::string>(), in["value"], get_sl(in["safelist"]));
        out["r"] = json::Value::array({o.added, o.safelisted});
      } else {
        out["r"] = add_tag(s, in["tag"].get<std::string>(), in["value"], get_sl(in["safelist"]));
      }
      json::Value t = json::Value::object();
      for (auto& [k, v] : s.tags.entries()) t[k] = v;
      out["tags"] = t;
    } else if (op == "safelisted") {
      std::vector<std::string> tags = in["tags"];
      std::vector<std::string_view> tv(tags.begin(), tags.end());
      out["r"] = get_sl(in["safelist"])->is_tag_safelisted(in["value"].get<std::string>(), tv, in["substring"].get<bool>());
    } else if (op == "contains") {
      out["r"] = get_sl(in["safelist"])->contains_safelisted_value(in["value"].get<std::string>());
    } else if (op == "domain") {
      out["r"] = is_valid_domain(in["value"].get<std::string>());
    } else if (op == "ip") {
      out["r"] = is_valid_ip(in["value"].get<std::string>());
    } else if (op == "find_ips" || op == "find_domains" || op == "find_urls") {
      std::string v = in["value"];
      auto r = op == "find_ips" ? find_ips(v) : op == "find_domains" ? find_domains(v) : find_urls(v);
      out["r"] = r;
    } else if (op == "extract") {
      result::Section s("x", result::BodyFormat::Table);
      IocExtractOptions o;
      o.enforce_char_min = in["min"];
      o.enforce_domain_char_max = in["max"];
      o.is_network_static = in["static"];
      o.safelist = get_sl(in["safelist"]);
      json::Value uris = json::Value::array();
      o.on_uri = [&](const std::string& u) { uris.push_back(u); };
      extract_iocs_from_text_blob(in["value"].get<std::string>(), s, o);
      json::Value t = json::Value::object();
      for (auto& [k, v] : s.tags.entries()) t[k] = v;
      out["tags"] = t;
      out["rows"] = s.data;
      out["uris"] = uris;
    }
    std::cout << json::py_dumps(out) << "\n";
  }
}
