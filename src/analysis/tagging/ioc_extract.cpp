#include "analysis/tagging/ioc_extract.hpp"

#include "analysis/tagging/al_regex.hpp"
#include "analysis/tagging/py_text.hpp"
#include "analysis/tagging/tag_helper.hpp"
#include "analysis/tagging/url_parse.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string>

namespace alcape::analysis {

namespace {

// dynamic_service_helper constants.
constexpr size_t kMinDomainChars = 8;
constexpr size_t kMaxDomainChars = 100;
constexpr size_t kMinUriChars = 11;
constexpr std::string_view kCommonFpDomains[] = {"example.com"};
// COMMON_FP_TLDS_THAT_ARE_FILE_EXTS + COMMON_FP_TLDS_THAT_ARE_JS_COMMANDS
constexpr std::string_view kCommonFpTlds[] = {
    ".dot", ".js", ".one", ".ps", ".pub", ".py", ".sh", ".win", ".zip",
    ".as", ".author", ".auto", ".bar", ".bf", ".box", ".broker", ".call", ".cf", ".cl", ".click", ".cm", ".country",
    ".data", ".download", ".family", ".foo", ".group", ".ht", ".id", ".in", ".info", ".link", ".map", ".me", ".menu",
    ".microsoft", ".movie", ".ms", ".mt", ".mv", ".mx", ".name", ".nc", ".net", ".new", ".next", ".nf", ".now",
    ".open", ".parts", ".ph", ".play", ".properties", ".protection", ".read", ".rs", ".run", ".runincontext",
    ".save", ".seek", ".select", ".shell", ".show", ".si", ".ss", ".storage", ".stream", ".style", ".support",
    ".sz", ".target", ".test", ".to", ".top", ".tt", ".tz", ".ws", ".wtf", ".xmlhttp"};
// COMMON_SCHEMES, in the reference's order (the first suffix match wins).
constexpr std::string_view kCommonSchemes[] = {"dns",  "dntp", "file", "ftp",  "git",  "http",  "https", "icap",
                                               "imap", "irc",  "irc6", "ircs", "nfs",  "rdp",   "s3",    "sftp",
                                               "shttp", "smb", "sms",  "snmp", "ssh",  "telnet", "tftp", "udp"};
constexpr std::string_view kInvalidUriChars = "\"'<>()";

// sub(r"\\x[a-z0-9]{2}", ",", blob): escaped bytes become commas, which cannot be part of a domain.
std::string replace_byte_strings(std::string_view blob) {
  auto low_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  std::string out;
  out.reserve(blob.size());
  for (size_t i = 0; i < blob.size();) {
    if (blob[i] == '\\' && i + 3 < blob.size() && blob[i + 1] == 'x' && low_alnum(blob[i + 2]) && low_alnum(blob[i + 3])) {
      out += ',';
      i += 4;
    } else {
      out += blob[i++];
    }
  }
  return out;
}

// `json.dumps(row) not in body`: the body's JSON text contains the row's text exactly when an equal object
// (same keys in the same order, same values) occurs somewhere in the body (a string cannot contain it: its
// quotes would be escaped).
bool contains_object(const json::Value& v, const json::Value& row) {
  if (v.is_object()) {
    if (v == row) return true;
    for (const auto& [k, child] : v.items())
      if (contains_object(child, row)) return true;
  } else if (v.is_array()) {
    for (const auto& child : v)
      if (contains_object(child, row)) return true;
  }
  return false;
}

void add_ioc_row(result::Section& table, std::string_view type, const std::string& ioc) {
  json::Value row = json::Value::object();
  row["ioc_type"] = std::string(type);
  row["ioc"] = ioc;
  if (!contains_object(table.data, row)) table.add_row(std::move(row));
}

std::string tag_name(bool is_static, std::string_view kind) {
  return std::string(is_static ? "network.static." : "network.dynamic.") + std::string(kind);
}

// The reference re-sorts after every (recursive) call: tag lists of these types, then all the table's rows.
void sort_results(result::Section& table) {
  result::Tags sorted;
  for (const auto& [type, values] : table.tags.entries()) {
    std::vector<json::Value> vals = values;
    if (pytext::ends_with(type, ".uri") || pytext::ends_with(type, ".domain") || pytext::ends_with(type, ".ip") ||
        pytext::ends_with(type, ".uri_path"))
      std::sort(vals.begin(), vals.end());
    for (const auto& v : vals) sorted.add(type, v);
  }
  table.tags = std::move(sorted);
  if (table.data.is_array()) {
    auto key = [](const json::Value& row, std::string_view k) -> std::string {
      const json::Value* f = json::find(row, k);
      return f && f->is_string() ? f->get<std::string>() : std::string();
    };
    std::vector<json::Value> rows(table.data.begin(), table.data.end());
    std::stable_sort(rows.begin(), rows.end(), [&](const json::Value& a, const json::Value& b) {
      std::string ta = key(a, "ioc_type"), tb = key(b, "ioc_type");
      if (ta != tb) return ta < tb;
      return key(a, "ioc") < key(b, "ioc");
    });
    table.data = json::Value(std::move(rows));
  }
}

}  // namespace

void extract_iocs_from_text_blob(std::string_view blob, result::Section& table, const IocExtractOptions& options) {
  if (blob.empty()) return;
  const bool is_static = options.is_network_static;
  const Safelist* safelist = options.safelist;

  const std::vector<std::string> ip_list = find_ips(blob);
  const std::set<std::string> ips(ip_list.begin(), ip_list.end());

  // Domains are searched with escaped bytes ("\x0d") replaced, and IPs are not domains.
  std::set<std::string> domains;
  for (auto& d : find_domains(replace_byte_strings(blob)))
    if (!ips.count(d)) domains.insert(std::move(d));

  // URIs are cut at the first ' ', ',' or '\' (in that order); the rest is hunted on its own. (The reference
  // iterates a set, in hash order; sorted order is used here.)
  std::set<std::string> uri_results;
  for (auto& u : find_urls(blob)) uri_results.insert(std::move(u));
  std::set<std::string> uris;
  for (const auto& found : uri_results) {
    std::string uri = found;
    for (char c : {' ', ',', '\\'}) {
      size_t p = uri.find(c);
      if (p == std::string::npos) continue;
      std::string remainder = uri.substr(p + 1);
      uri.resize(p);
      if (!remainder.empty()) extract_iocs_from_text_blob(remainder, table, options);
    }
    uris.insert(std::move(uri));
  }
  for (const auto& d : domains) uris.erase(d);
  for (const auto& ip : ips) uris.erase(ip);

  for (const auto& ip : ips)
    if (add_tag(table, tag_name(is_static, "ip"), json::Value(ip), safelist)) add_ioc_row(table, "ip", ip);

  for (const auto& domain : domains) {
    const std::string lower = pytext::ascii_lower(domain);
    bool doubtful = (options.enforce_char_min && domain.size() < kMinDomainChars) ||
                    (options.enforce_domain_char_max && domain.size() > kMaxDomainChars);
    for (auto tld : kCommonFpTlds) doubtful = doubtful || pytext::ends_with(lower, tld);
    if (doubtful) {
      // Kept only as the host of one of the URIs.
      bool is_uri_host = false;
      for (const auto& uri : uris) {
        auto parts = url::urlsplit(pytext::ascii_lower(uri));
        auto host = parts ? parts->hostname() : std::nullopt;
        if (host && *host == lower) {
          is_uri_host = true;
          break;
        }
      }
      if (!is_uri_host) continue;
    } else if (std::find(std::begin(kCommonFpDomains), std::end(kCommonFpDomains), lower) != std::end(kCommonFpDomains)) {
      continue;
    }
    if (add_tag(table, tag_name(is_static, "domain"), json::Value(domain), safelist))
      add_ioc_row(table, "domain", domain);
  }

  for (const auto& found : uris) {
    std::string uri = found;
    if (options.enforce_char_min && uri.size() < kMinUriChars) continue;
    if (uri.find_first_of(kInvalidUriChars) != std::string::npos) {
      // Keep the first piece between such characters that is a full URI (tried per character, in order).
      for (char c : kInvalidUriChars) {
        const std::string current = uri;
        for (size_t start = 0;;) {
          size_t p = current.find(c, start);
          std::string piece = current.substr(start, p == std::string::npos ? std::string::npos : p - start);
          if (matches_full_uri(piece)) {
            uri = piece;
            break;
          }
          if (p == std::string::npos) break;
          start = p + 1;
        }
      }
    }
    // A scheme with junk before a common scheme ("xhttp:") is reduced to that scheme.
    if (size_t colon = uri.find(':'); colon != std::string::npos) {
      std::string_view scheme = std::string_view(uri).substr(0, colon);
      if (std::find(std::begin(kCommonSchemes), std::end(kCommonSchemes), scheme) == std::end(kCommonSchemes)) {
        for (auto common : kCommonSchemes) {
          if (pytext::ends_with(scheme, common)) {
            uri = std::string(common) + uri.substr(colon);
            break;
          }
        }
      }
    }
    if (!add_tag(table, tag_name(is_static, "uri"), json::Value(uri), safelist)) continue;  // safelisted or invalid
    add_ioc_row(table, "uri", uri);
    if (options.on_uri) options.on_uri(uri);
    std::string_view rest = uri;
    if (size_t p = rest.find("//"); p != std::string_view::npos) {
      rest = rest.substr(p + 2);
      rest = rest.substr(0, rest.find("//"));
    }
    for (std::string_view path : al_regex(AlRegex::URI_PATH).findall(rest)) {
      std::string path_text(path);
      if (add_tag(table, tag_name(is_static, "uri_path"), json::Value(path_text), safelist))
        add_ioc_row(table, "uri_path", path_text);
    }
  }

  sort_results(table);
}

}  // namespace alcape::analysis
