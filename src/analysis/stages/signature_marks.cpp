#include "analysis/stages/signature_marks.hpp"

#include "analysis/stages/py_repr.hpp"
#include "analysis/stages/pystr.hpp"
#include "analysis/stages/signature_text.hpp"
#include "analysis/stages/signatures.hpp"
#include "analysis/tagging/ioc_extract.hpp"
#include "analysis/tagging/tag_helper.hpp"
#include "json/pydump.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>

namespace alcape::analysis {

namespace {

// assemblyline.odm.base DOMAIN_REGEX / IPV6_REGEX and the reference's HTTP_REQUEST_REGEX and
// YARA_RULE_EXTRACTOR, in RE2 syntax (Python's Unicode \w is spelled out).
constexpr const char* kDomainPattern =
    R"((?:(?:[A-Za-z0-9\x{a1}-\x{10ffff}][A-Za-z0-9\x{a1}-\x{10ffff}_-]{0,62})?[A-Za-z0-9\x{a1}-\x{10ffff}]\.)+)"
    R"((?:[Xx][Nn]--)?(?:[A-Za-z0-9\x{a1}-\x{10ffff}]{2,}\.?))";
constexpr const char* kIpv6Pattern =
    R"((?:(?:[0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){1,7}:|)"
    R"((?:[0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){1,5}(?::[0-9a-fA-F]{1,4}){1,2}|)"
    R"((?:[0-9a-fA-F]{1,4}:){1,4}(?::[0-9a-fA-F]{1,4}){1,3}|(?:[0-9a-fA-F]{1,4}:){1,3}(?::[0-9a-fA-F]{1,4}){1,4}|)"
    R"((?:[0-9a-fA-F]{1,4}:){1,2}(?::[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:(?:(?::[0-9a-fA-F]{1,4}){1,6})|)"
    R"(:(?:(?::[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(?::[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|)"
    R"(::(?:ffff(?::0{1,4}){0,1}:){0,1}(?:(?:25[0-5]|(?:2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(?:25[0-5]|)"
    R"((?:2[0-4]|1{0,1}[0-9]){0,1}[0-9])|(?:[0-9a-fA-F]{1,4}:){1,4}:(?:(?:25[0-5]|)"
    R"((?:2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(?:25[0-5]|(?:2[0-4]|1{0,1}[0-9]){0,1}[0-9])))";

const RE2& ipv6_regex() {
  static const RE2 re(kIpv6Pattern);
  return re;
}

const RE2& http_request_host_regex() {
  static const RE2 re(std::string("Host: (") + kDomainPattern + ")\\r");
  return re;
}

const RE2& yara_rule_regex() {
  static const RE2 re(R"((?:(?:PID )?([0-9]{2,4}))?.*'(.[\p{L}\p{N}_]+)')");
  return re;
}

const std::vector<std::string_view> kSafelistTagTypes = {"network.dynamic.ip", "network.dynamic.uri",
                                                         "network.dynamic.domain"};

bool one_of(std::string_view s, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool contains(std::string_view s, std::string_view needle) { return s.find(needle) != std::string_view::npos; }

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

// network_helper.convert_url_to_https(method="CONNECT", url): http://host:443/... becomes https://host/...
std::string convert_url_to_https(const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos || py::lower(url.substr(0, scheme_end)) != "http") return url;
  if (!contains(url, ":443")) return url;
  size_t netloc_start = scheme_end + 3;
  size_t netloc_end = url.find_first_of("/?#", netloc_start);
  std::string netloc = url.substr(netloc_start, netloc_end == std::string::npos ? std::string::npos
                                                                                 : netloc_end - netloc_start);
  std::string rest = netloc_end == std::string::npos ? std::string() : url.substr(netloc_end);
  size_t path_end = rest.find_first_of("?#");
  std::string path = rest.substr(0, path_end);
  std::string tail = path_end == std::string::npos ? std::string() : rest.substr(path_end);
  auto cut_port = [](std::string& s) {
    if (s.size() >= 4 && s.compare(s.size() - 4, 4, ":443") == 0) s = s.substr(0, s.find(":443"));
  };
  cut_port(netloc);
  cut_port(path);
  return "https://" + netloc + path + tail;
}

// A mark value as text, the way the reference stringifies it before tagging.
std::string mark_value_text(const json::Value& v) {
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_array()) return py_str(v);
  std::string out;
  bool first = true;
  for (const auto& item : v) {
    if (!first) out += ',';
    first = false;
    out += item.is_string() ? item.get<std::string>() : py_str(item);
  }
  return out;
}

bool is_safelisted_network_value(const AnalysisContext& ctx, const std::string& value) {
  return ctx.params.safelist && ctx.params.safelist->is_tag_safelisted(value, kSafelistTagTypes);
}

// Values naming a file or process: the first word (cut at the first delimiter) is the file name.
void tag_file_name(result::Section& section, std::string value) {
  std::string lowered = py::lower(value);
  if (contains(lowered, "process: ")) value = replace_all(lowered, "process: ", "");
  for (std::string_view delimiter : {":", "->", ",", " ", "("}) {
    if (!contains(value, delimiter)) continue;
    if (delimiter == ":" && contains(value, ":\\")) continue;  // a drive letter, not a delimiter
    value = std::string(py::strip(std::string_view(value).substr(0, value.find(delimiter))));
    break;
  }
  add_tag(section, "dynamic.process.file_name", value);
}

void tag_ip(result::Section& section, const std::string& value) {
  if (!contains(value, ":") || RE2::PartialMatch(value, ipv6_regex())) {
    add_tag(section, "network.dynamic.ip", value);
    return;
  }
  // "ip:port" or "ip:port (process)"
  size_t colon = value.find(':');
  add_tag(section, "network.dynamic.ip", std::string(py::strip(std::string_view(value).substr(0, colon))));
  std::string_view port = std::string_view(value).substr(colon + 1);
  port = port.substr(0, port.find(':'));
  if (contains(port, "(")) port = port.substr(0, port.find('('));
  add_tag(section, "network.port", std::string(py::strip(port)));
}

// The URI goes to the attributes of processes that made HTTP-like network calls (the reference's guess at
// which process the URI belongs to).
void attach_uri_to_attributes(SignatureBuild& build, const std::string& uri) {
  for (auto& attribute : build.attributes()) {
    if (!attribute.process || !attribute.process->pid) continue;
    const json::Value& details = json::get(build.context().process_map, std::to_string(*attribute.process->pid));
    for (const auto& call : json::get(details, "network_calls")) {
      auto event = json::get_string(call, "event");
      if (!event || (*event != "Connect" && *event != "Request_response")) continue;
      const json::Value& args = json::get(call, "arguments");
      auto service = json::get_string(args, "Service");
      auto buffer = json::get_string(args, "Buffer");
      auto url = json::get_string(args, "URL");
      if ((service && one_of(*service, {"http", "https", "HTTP", "HTTPS", "3"})) ||
          (buffer && contains(*buffer, uri)) || (url && contains(*url, uri))) {
        if (!attribute.uri) attribute.uri = uri;
        break;
      }
    }
  }
}

void tag_uri(SignatureBuild& build, const std::string& lower_key, std::string value) {
  if (build.context().params.uses_https_proxy_in_sandbox) value = convert_url_to_https(value);
  if (one_of(lower_key, {"request", "suspicious_request", "http_request"})) {
    std::string host;
    if (RE2::PartialMatch(value, http_request_host_regex(), &host)) value = host;
  }
  if (add_tag(build.section(), "network.dynamic.uri", json::Value(value)) && !build.attributes().empty())
    attach_uri_to_attributes(build, value);
}

// A YARA hit ("PID 1234 trigged the Yara rule 'Name'"): rule tag, a heuristic signature per rule, and the
// process as an attribute.
void tag_yara_hit(SignatureBuild& build, const std::string& value) {
  std::string pid_text, rule;
  if (!RE2::PartialMatch(value, yara_rule_regex(), &pid_text, &rule)) return;
  if (!pid_text.empty()) build.add_hit_attribute(std::stoll(pid_text));

  std::string source = "CAPE";
  const json::Value& signature_map = build.context().params.signature_map;
  if (signature_map.is_object()) {
    for (const auto& info : signature_map) {
      auto name = json::get_string(info, "name");
      if (name && *name == rule) {
        auto s = json::get_string(info, "source");
        if (s) source = *s;
        break;
      }
    }
  }
  add_tag(build.section(), "file.rule.cape", json::Value(source + "." + rule));
  if (build.section().heuristic) build.section().heuristic->add_signature_id(py::lower(rule), 500);
}

}  // namespace

void SignatureBuild::add_part(result::BodyFormat format, json::Value data) {
  // The reference searches the JSON text of the whole body. A dict's text can only occur inside a KEY_VALUE
  // part (in TEXT parts its quotes would be escaped), so only those are kept, one per line (a raw newline never
  // occurs in JSON text): the search stays small when a description is long.
  if (format == result::BodyFormat::KeyValue) {
    shown_marks_json_ += json::py_dumps(data);
    shown_marks_json_ += '\n';
  }
  section_.add_part(format, std::move(data));
}

void SignatureBuild::add_call_attribute(std::optional<int64_t> pid, const std::optional<std::string>& action) {
  if (!pid || *pid == 0) return;
  ontology::ProcessPtr process = ctx_.ontology.get_process_by_pid(pid);
  if (!process) return;
  // The reference meant "once per process and action" but compares a process with an ObjectID, so it keeps
  // only the first call attribute of a signature (§10.25): every process of the call marks is kept here.
  for (const auto& a : attributes_)
    if (a.process == process && a.action == action) return;
  attributes_.push_back({process, action, std::nullopt});
}

void SignatureBuild::add_hit_attribute(int64_t pid) {
  if (pid == 0) return;
  ontology::ProcessPtr process = ctx_.ontology.get_process_by_pid(pid);
  if (process) attributes_.push_back({process, std::nullopt, std::nullopt});
}

result::Section& SignatureBuild::ioc_table() {
  if (!ioc_table_) ioc_table_ = std::make_unique<result::Section>(std::string(kSignatureIocTableTitle),
                                                                 result::BodyFormat::Table);
  return *ioc_table_;
}

json::Value render_data_mark(SignatureBuild& build, const json::Value& mark, int marks_shown) {
  json::Value body = json::Value::object();
  if (!mark.is_object()) return body;
  for (auto it = mark.begin(); it != mark.end(); ++it) {
    const std::string& key = it.key();
    json::Value value = it.value();
    if (is_hidden_mark_item(key, value)) continue;
    // An item shown alone in an earlier mark part is not repeated (and not tagged again).
    json::Value single = json::Value::object();
    single[key] = value;
    if (contains(build.shown_marks_json(), json::py_dumps(single))) continue;

    if (value.is_string() && marks_shown < kMaxDisplayedMarks &&
        py::length(value.get_ref<const std::string&>()) > kMaxDisplayedValueLength)
      value = py_truncate(value.get_ref<const std::string&>(), kMaxDisplayedValueLength);
    // Safelisted network values are neither shown nor tagged. The reference checks this only for the marks it
    // displays and tags safelisted values of later marks (§10.26); here every mark is checked.
    if (value.is_string() && is_safelisted_network_value(build.context(), value.get_ref<const std::string&>()))
      continue;
    if (marks_shown < kMaxDisplayedMarks) body[key] = value;

    tag_mark_value(build, key, mark_value_text(value));
  }
  return body;
}

void tag_mark_value(SignatureBuild& build, std::string_view key, std::string value) {
  result::Section& section = build.section();
  const std::string lower_key = py::lower(key);
  if (one_of(lower_key, {"cookie", "process", "binary", "copy", "office_martian", "file", "service",
                         "getasynckeystate", "setwindowshookexw"})) {
    tag_file_name(section, std::move(value));
  } else if (one_of(lower_key, {"command", "service_path"})) {
    add_tag(section, "dynamic.process.command_line", json::Value(value));
  } else if (lower_key == "ip") {
    tag_ip(section, value);
  } else if (lower_key == "regkey") {
    add_tag(section, "dynamic.registry_key", json::Value(value));
  } else if (one_of(lower_key, {"http_request", "url", "suspicious_request", "ioc", "request", "http_downloadurl"})) {
    tag_uri(build, lower_key, std::move(value));
  } else if (lower_key == "dynamicloader") {
    add_tag(section, "file.pe.exports.function_name", json::Value(value));
  } else if (key.size() >= 4 && key.substr(key.size() - 4) == "_exe") {
    add_tag(section, "dynamic.process.file_name", json::Value(replace_all(std::string(key), "_", ".")));
  } else if (lower_key == "hit") {
    tag_yara_hit(build, value);
  } else if (lower_key == "domain") {
    add_tag(section, "network.dynamic.domain", json::Value(value));
  } else {
    // Free text: hunt for IOCs. The reference loses this table when a later mark goes through one of the typed
    // taggers above (§10.26); here it is kept for the whole signature.
    IocExtractOptions options;
    options.is_network_static = true;
    extract_iocs_from_text_blob(py_truncate(value, kMaxHuntedValueLength), build.ioc_table(), options);
  }
}

}  // namespace alcape::analysis
