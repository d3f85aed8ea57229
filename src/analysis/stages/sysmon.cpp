#include "analysis/stages/sysmon.hpp"

#include "analysis/stages/py_repr.hpp"
#include "analysis/stages/pystr.hpp"
#include "analysis/tagging/al_regex.hpp"
#include "analysis/tagging/py_regex.hpp"
#include "analysis/time_format.hpp"

#include <re2/re2.h>

#include <memory>

namespace alcape::analysis {

namespace {

// Sysmon EventIDs the reference keeps. Process events 2, 8, 9 and 10 never survive its filter (only 1 and 5 give a
// start_time), so they are not read at all.
constexpr int kProcessCreate = 1;
constexpr int kNetworkConnect = 3;
constexpr int kProcessTerminate = 5;
constexpr int kDnsQuery = 22;

// DNS record types as Sysmon numbers them (Win32 DNS constants), as in the reference's DNS_TYPE.
const char* dns_type_name(int64_t type) {
  switch (type) {
    case 1: return "A";
    case 2: return "NS";
    case 5: return "CNAME";
    case 6: return "SOA";
    case 12: return "PTR";
    case 15: return "MX";
    case 16: return "TEXT";
    case 28: return "AAAA";
    default: return nullptr;
  }
}

const char* const kDeleted = " (deleted)";  // Sysmon for Linux appends it to images of deleted files

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string key_of(int64_t pid) { return std::to_string(pid); }
std::string key_of(int64_t pid, const json::Value& guid) { return std::to_string(pid) + "-->" + py_str(guid); }

bool is_safelisted(const AnalysisContext& ctx, const json::Value& text, std::string_view tag) {
  if (!text.is_string() || text.get_ref<const std::string&>().empty() || !ctx.params.safelist) return false;
  return ctx.params.safelist->is_tag_safelisted(text.get_ref<const std::string&>(), tag);
}

// One EventID 1 or 5 event as the reference's process dict, or null when it lacks a pid, guid, image or
// start_time. Unreadable values (bad times, non-numeric ids), on which the reference raises, count as missing.
json::Value process_event(const AnalysisContext& ctx, const report::SysmonEvent& ev, int event_id) {
  json::Value p = json::Value::object();
  bool bad_time = false;
  for (const auto& [raw_name, text] : ev.data) {
    const std::string name = py::lower(raw_name);
    // The reference resets the flag on every field, so it only survives when the safelisted field is the last one
    // (synthetic README, powershell-curtain-sysmon-tree): reproduced, it decides which processes the ontology drops.
    p["safelisted"] = false;
    if (name == "utctime") {
      std::optional<std::string> t;
      if (text.is_string()) t = ensure_time_format(text.get_ref<const std::string&>());
      if (!t) {
        bad_time = true;
        continue;
      }
      if (event_id == kProcessCreate) {
        p["start_time"] = *t;
      } else {
        p["start_time"] = std::string(kMinTime);
        p["end_time"] = *t;
      }
    } else if (name == "sourceprocessguid" || name == "parentprocessguid") {
      p["pguid"] = text;
    } else if (name == "processguid" || name == "targetprocessguid") {
      p["guid"] = text;
    } else if (name == "parentprocessid" || name == "sourceprocessid") {
      if (auto v = py::to_int(text)) p["ppid"] = *v;
    } else if (name == "processid" || name == "targetprocessid") {
      if (auto v = py::to_int(text)) p["pid"] = *v;
    } else if (name == "sourceimage") {
      p["pimage"] = text;
    } else if (name == "image" || name == "targetimage") {
      if (!text.is_string()) continue;
      std::string image = text.get<std::string>();
      if (ends_with(image, kDeleted)) image.resize(image.find(kDeleted));
      if (is_safelisted(ctx, image, "dynamic.process.file_name")) {
        p["safelisted"] = true;
      } else {
        p["image"] = image;
      }
    } else if (name == "parentcommandline") {
      if (!is_safelisted(ctx, text, "dynamic.process.command_line")) p["pcommand_line"] = text;
    } else if (name == "commandline") {
      if (!is_safelisted(ctx, text, "dynamic.process.command_line")) {
        p["command_line"] = text;
      } else {
        p["safelisted"] = true;
      }
    } else if (name == "originalfilename") {
      p["original_file_name"] = text;
    } else if (name == "integritylevel") {
      p["integrity_level"] = text;
    } else if (name == "hashes") {
      if (!text.is_string()) continue;
      const std::string& h = text.get_ref<const std::string&>();
      size_t eq = h.find('=');
      if (eq != std::string::npos && h.find('=', eq + 1) == std::string::npos) p["image_hash"] = h.substr(eq + 1);
    }
  }
  if (bad_time || !json::truthy(json::get(p, "pid")) || !json::truthy(json::get(p, "guid")) ||
      !json::truthy(json::get(p, "image")) || !json::truthy(json::get(p, "start_time")))
    return nullptr;
  p["event_id"] = event_id;
  return p;
}

// EventID 3: {src, dst (IPv4), time, dport, sport, guid, pid, image}; null unless all of them and the protocol
// are present.
json::Value network_event(const report::SysmonEvent& ev) {
  json::Value conn = {{"src", nullptr},  {"dst", nullptr}, {"time", nullptr}, {"dport", nullptr},
                      {"sport", nullptr}, {"guid", nullptr}, {"pid", nullptr},  {"image", nullptr}};
  std::string protocol;
  const pyre::Regex& ipv4 = al_regex(AlRegex::IPV4_REGEX);
  for (const auto& [name, text] : ev.data) {
    const bool is_str = text.is_string();
    const std::string s = is_str ? text.get<std::string>() : std::string();
    if (name == "UtcTime") {
      auto t = is_str ? ensure_time_format(s) : std::nullopt;
      conn["time"] = t ? json::Value(*t) : json::Value(nullptr);
    } else if (name == "ProcessGuid") {
      conn["guid"] = text;
    } else if (name == "ProcessId") {
      auto v = py::to_int(text);
      conn["pid"] = v ? json::Value(*v) : json::Value(nullptr);
    } else if (name == "Image") {
      if (!is_str) continue;
      conn["image"] = ends_with(s, kDeleted) ? s.substr(0, s.size() - std::string_view(kDeleted).size()) : s;
    } else if (name == "Protocol") {
      if (is_str) protocol = py::lower(s);
    } else if (name == "SourceIp") {
      if (is_str && ipv4.matches(s)) conn["src"] = s;
    } else if (name == "SourcePort") {
      auto v = py::to_int(text);
      conn["sport"] = v ? json::Value(*v) : json::Value(nullptr);
    } else if (name == "DestinationIp") {
      if (is_str && ipv4.matches(s)) conn["dst"] = s;
    } else if (name == "DestinationPort") {
      auto v = py::to_int(text);
      conn["dport"] = v ? json::Value(*v) : json::Value(nullptr);
    }
  }
  for (const auto& item : conn.items()) {
    if (item.value().is_null()) return nullptr;
  }
  if (protocol.empty()) return nullptr;
  conn["event_id"] = kNetworkConnect;
  return conn;
}

void add_answer(json::Value& answers, const std::string& data, const char* type) {
  json::Value answer = {{"data", data}, {"type", type}};
  for (const auto& a : answers) {
    if (a == answer) return;
  }
  answers.push_back(std::move(answer));
}

// QueryResults "type:  5 host;::ffff:1.2.3.4;..." -> answers {data, type}: the record's type (A when it has
// none), then its IPs (IPv4-mapped "::ffff:N" fragments skipped) and its domains.
void add_answers(json::Value& answers, const std::string& results) {
  static const RE2 type_re(R"(^type:  (\d{1,2}) )");
  static const RE2 mapped_re(R"(::ffff:\d{1,2})");
  size_t start = 0;
  while (true) {
    size_t semi = results.find(';', start);
    std::string record = results.substr(start, semi == std::string::npos ? std::string::npos : semi - start);
    const char* type = "A";
    int type_number = 0;
    if (RE2::PartialMatch(record, type_re, &type_number)) {
      // The reference raises KeyError on a type outside its table; such a record is skipped here.
      type = dns_type_name(type_number);
    }
    if (type) {
      // re.findall of Assemblyline's IP and domain patterns (no capturing group: whole matches).
      for (std::string_view ip : al_regex(AlRegex::IP_REGEX).findall(record)) {
        re2::StringPiece start(ip.data(), ip.size());
        if (!RE2::Consume(&start, mapped_re)) add_answer(answers, std::string(ip), type);
      }
      for (std::string_view domain : al_regex(AlRegex::DOMAIN_REGEX).findall(record))
        add_answer(answers, std::string(domain), type);
    }
    if (semi == std::string::npos) break;
    start = semi + 1;
  }
}

// EventID 22: {request (unless safelisted), answers, first_seen, guid, pid, image}; null unless all are set.
json::Value dns_event(const AnalysisContext& ctx, const report::SysmonEvent& ev) {
  json::Value q = {{"request", nullptr}, {"answers", json::Value::array()}, {"first_seen", nullptr},
                   {"guid", nullptr},    {"pid", nullptr},                  {"image", nullptr}};
  for (const auto& [name, text] : ev.data) {
    if (text.is_null()) continue;
    const bool is_str = text.is_string();
    const std::string s = is_str ? text.get<std::string>() : std::string();
    if (name == "UtcTime") {
      auto t = is_str ? ensure_time_format(s) : std::nullopt;
      q["first_seen"] = t ? json::Value(*t) : json::Value(nullptr);
    } else if (name == "ProcessGuid") {
      q["guid"] = text;
    } else if (name == "ProcessId") {
      auto v = py::to_int(text);
      q["pid"] = v ? json::Value(*v) : json::Value(nullptr);
    } else if (name == "QueryName") {
      if (!is_safelisted(ctx, text, "network.dynamic.domain")) q["request"] = text;
    } else if (name == "QueryResults") {
      if (is_str) add_answers(q["answers"], s);
    } else if (name == "Image") {
      if (!is_str) continue;
      q["image"] = ends_with(s, kDeleted) ? s.substr(0, s.size() - std::string_view(kDeleted).size()) : s;
    }
  }
  for (const auto& item : q.items()) {
    if (item.value().is_null()) return nullptr;
  }
  q["event_id"] = kDnsQuery;
  return q;
}

// Process events are grouped by pid; a second GUID for a pid (pid reuse) opens "<pid>--><guid>".
void add_process_event(json::Value& groups, json::Value event) {
  const int64_t pid = event["pid"].get<int64_t>();
  const json::Value& guid = event["guid"];
  const std::string pid_key = key_of(pid);
  if (!groups.contains(pid_key)) {
    groups[pid_key] = json::Value::array({std::move(event)});
    return;
  }
  const std::string guid_key = key_of(pid, guid);
  if (groups.contains(guid_key)) {
    groups[guid_key].push_back(std::move(event));
    return;
  }
  for (const auto& known : groups[pid_key]) {
    if (py::equal(json::get(known, "guid"), guid)) {
      groups[pid_key].push_back(std::move(event));
      return;
    }
  }
  groups[guid_key] = json::Value::array({std::move(event)});
}

// Network and DNS events join the group of their pid (or pid-->guid); events of unknown processes are dropped.
void attach_event(json::Value& groups, json::Value event) {
  const int64_t pid = event["pid"].get<int64_t>();
  const std::string pid_key = key_of(pid);
  if (groups.contains(pid_key)) {
    groups[pid_key].push_back(std::move(event));
    return;
  }
  const std::string guid_key = key_of(pid, event["guid"]);
  if (groups.contains(guid_key)) groups[guid_key].push_back(std::move(event));
}

}  // namespace

void parse_sysmon(AnalysisContext& ctx) {
  const report::Report& r = ctx.report;
  // `if sysmon:` — the reference parses only a non-empty sysmon list; the reader keeps only relevant events.
  if (r.sysmon_p != report::Presence::kPresent || r.sysmon.empty()) return;
  json::Value groups = json::Value::object();
  for (const report::SysmonEvent& ev : r.sysmon) {
    auto id = py::to_int(ev.event_id);
    if (!id) continue;
    if (*id == kProcessCreate || *id == kProcessTerminate) {
      json::Value p = process_event(ctx, ev, static_cast<int>(*id));
      if (!p.is_null()) add_process_event(groups, std::move(p));
    } else if (*id == kNetworkConnect) {
      json::Value n = network_event(ev);
      if (!n.is_null()) attach_event(groups, std::move(n));
    } else if (*id == kDnsQuery) {
      json::Value d = dns_event(ctx, ev);
      if (!d.is_null()) attach_event(groups, std::move(d));
    }
  }
  ctx.parsed_sysmon = std::move(groups);
}

bool is_sysmon_event_of_interest(int event_id) {
  // -1: the reader could not read the id as a plain integer; parse_sysmon applies Python's int() itself.
  return event_id == kProcessCreate || event_id == kNetworkConnect || event_id == kProcessTerminate ||
         event_id == kDnsQuery || event_id == -1;
}

bool is_sysmon_field_of_interest(std::string_view) {
  // Every field of the kept events: the reference's "safelisted" flag depends on whether any field, whatever its
  // name, follows the safelisted image or command line. The kept events (1, 3, 5, 22) are few.
  return true;
}

}  // namespace alcape::analysis
