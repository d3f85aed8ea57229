#include "analysis/tagging/tag_helper.hpp"

#include "analysis/tagging/al_regex.hpp"
#include "analysis/tagging/py_text.hpp"
#include "analysis/tagging/url_parse.hpp"

#include <optional>
#include <string>
#include <vector>

namespace alcape::analysis {

namespace {

using pytext::ends_with;

// _get_regex_for_tag
const pyre::Regex* regex_for_tag(std::string_view tag) {
  if (ends_with(tag, ".domain")) return &al_regex(AlRegex::DOMAIN_ONLY_REGEX);
  if (ends_with(tag, ".uri_path")) return &al_regex(AlRegex::URI_PATH);
  if (ends_with(tag, ".uri")) return &al_regex(AlRegex::FULL_URI);
  if (ends_with(tag, ".ip")) return &al_regex(AlRegex::IP_REGEX);
  return nullptr;
}

std::string net_tag(std::string_view network_type, std::string_view kind) {
  std::string t = "network.";
  t += network_type;
  t += '.';
  t += kind;
  return t;
}

// _tag_uri: tags a URI whose host validated (or was safelisted), retrying with the query quote_plus-encoded.
TagOutcome tag_uri(std::string url, result::Section& section, std::string_view network_type, const Safelist* safelist) {
  const pyre::Regex& full_uri = al_regex(AlRegex::FULL_URI);
  bool ok = full_uri.matches(url);
  if (!ok) {
    if (auto parts = url::urlsplit(url)) {
      parts->query = pytext::quote_plus(parts->query);
      std::string encoded = url::urlunsplit(*parts);
      if (full_uri.matches(encoded)) {
        ok = true;
        url = std::move(encoded);
      }
    }
  }
  if (!ok) return {};
  // The URL may have changed, so the safelist is checked again (for both URI tag types, as the reference does).
  if (safelist && safelist->is_tag_safelisted(url, std::vector<std::string_view>{"network.dynamic.uri", "network.static.uri"})) return {false, true};
  section.tags.add(net_tag(network_type, "uri"), url);
  // The path is searched in the text between the first "//" and the next one (url.split("//")[1]).
  std::string_view rest = url;
  if (size_t p = rest.find("//"); p != std::string_view::npos) {
    rest = rest.substr(p + 2);
    rest = rest.substr(0, rest.find("//"));
  }
  if (auto path = al_regex(AlRegex::URI_PATH).search(rest))
    section.tags.add(net_tag(network_type, "uri_path"), std::string(*path));
  return {true, false};
}

}  // namespace

TagOutcome validate_tag(result::Section& section, std::string_view tag, const json::Value& value,
                        const Safelist* safelist) {
  if (!json::truthy(value)) return {};
  const std::string_view network_type = pytext::starts_with(tag, "network.static.") ? "static" : "dynamic";
  const pyre::Regex* regex = regex_for_tag(tag);
  const bool is_uri = ends_with(tag, ".uri");

  if (!value.is_string()) {
    if (regex) return {};  // the reference's re.match raises TypeError on a non-str value
    section.tags.add(tag, value);  // safe_str keeps non-str values as they are
    return {true, false};
  }
  const std::string& v = value.get_ref<const std::string&>();

  // Non-standard URIs still go on: their parts are worth tagging.
  if (regex && !is_uri && !regex->matches(v)) return {};
  if (ends_with(tag, ".ip") && !is_valid_ip(v)) return {};
  if (ends_with(tag, ".domain") && !is_valid_domain(v)) return {};
  if (safelist && safelist->is_tag_safelisted(v, tag)) return {false, true};

  if (!is_uri) {
    section.tags.add(tag, result::safe_str(v));
    return {true, false};
  }

  // The host in its original case: urlsplit lower-cases it, so it is looked up in the lower-cased value.
  std::string_view hostname = v;
  auto split = url::urlsplit(v);  // (the reference raises ValueError on a malformed bracketed host)
  if (std::optional<std::string> lower_host = split ? split->hostname() : std::nullopt) {
    size_t index = pytext::ascii_lower(v).find(*lower_host);
    // Python's value[-1:-1 + n] when not found is an empty string.
    hostname = index == std::string::npos ? std::string_view() : std::string_view(v).substr(index, lower_host->size());
  }

  bool valid_domain = false, valid_ip = false, tag_is_safelisted = false;
  std::optional<std::string_view> domain = al_regex(AlRegex::DOMAIN_REGEX).match(hostname);
  if (domain) {
    TagOutcome o = validate_tag(section, net_tag(network_type, "domain"), json::Value(std::string(*domain)), safelist);
    valid_domain = o.added;
    tag_is_safelisted = o.safelisted;
  }
  std::optional<std::string_view> ip = al_regex(AlRegex::IP_REGEX).match(hostname);
  if (ip) {
    TagOutcome o = validate_tag(section, net_tag(network_type, "ip"), json::Value(std::string(*ip)), safelist);
    valid_ip = o.added;
    tag_is_safelisted = o.safelisted;
  }

  const bool value_is_host = (domain && v == *domain) || (ip && v == *ip);
  if ((!value_is_host && (valid_domain || valid_ip)) || tag_is_safelisted)
    return tag_uri(v, section, network_type, safelist);
  if (value_is_host) return {true, false};
  if (al_regex(AlRegex::URI_PATH).matches(v))
    return validate_tag(section, net_tag(network_type, "uri_path"), value, safelist);
  section.tags.add("file.string.extracted", result::safe_str(v));
  return {true, false};
}

bool add_tag(result::Section& section, std::string_view tag_type, const json::Value& value, const Safelist* safelist) {
  if (!json::truthy(value)) return false;
  if (value.is_array()) {
    // The reference writes `added, _ = _validate_tag(...) or added`: the tuple is always truthy, so the
    // result is the last item's.
    bool added = false;
    for (const auto& item : value) added = validate_tag(section, tag_type, item, safelist).added;
    return added;
  }
  return validate_tag(section, tag_type, value, safelist).added;
}

}  // namespace alcape::analysis
