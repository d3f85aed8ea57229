#include "artifacts/classify.hpp"

#include "core/digest.hpp"

#include "artifacts/safe_unzip.hpp"

#include <openssl/evp.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <memory>
#include <set>

namespace alcape::artifacts {
namespace {

namespace fs = std::filesystem;

constexpr const char* kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }
bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

// files.json (JSON lines): zip path → basename of the file's path in the guest.
std::map<std::string, std::string> read_file_name_map(const fs::path& files_json) {
  std::map<std::string, std::string> map;
  std::ifstream in(files_json);
  std::string line;
  while (std::getline(in, line)) {
    json::Value entry = json::Value::parse(line, nullptr, false);
    if (!entry.is_object()) continue;
    const json::Value* path = json::find(entry, "path");
    const json::Value* guest = json::find(entry, "filepath");
    if (!path || !guest || !path->is_string() || !guest->is_string()) continue;
    std::string g = guest->get<std::string>();
    size_t cut = g.find_last_of("\\/");
    std::string base = cut == std::string::npos ? g : g.substr(cut + 1);
    if (!base.empty()) map[path->get<std::string>()] = base;
  }
  return map;
}

std::string head(const fs::path& p, size_t n) {
  std::ifstream in(p, std::ios::binary);
  std::string out(n, '\0');
  in.read(out.data(), static_cast<std::streamsize>(n));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

class Collector {
 public:
  Collector(Classified& out, fs::path root) : out_(out), root_(std::move(root)) {}

  Status add(const fs::path& path, const std::string& name, const std::string& description, bool extracted,
             bool image = false) {
    auto sha = digest::sha256_file(path);
    if (!sha.ok()) return sha.error();
    Artifact a{path, unique(sanitise_name(name)), description, sha.value(), !extracted, image};
    if (image) {
      for (const auto& s : out_.screenshots) {
        if (s.sha256 == a.sha256) {  // the same screen twice
          skip(fs::relative(path, root_).generic_string(), "same screenshot as " + s.name);
          return {};
        }
      }
      out_.screenshots.push_back(std::move(a));
    } else if (extracted) {
      out_.extracted.push_back(std::move(a));
    } else {
      out_.supplementary.push_back(std::move(a));
    }
    return {};
  }

  void skip(const std::string& zip_name, const std::string& reason) { out_.skipped.emplace_back(zip_name, reason); }

 private:
  // Names stay unique within a task: a second "x" becomes "x (2)" before its extension.
  std::string unique(std::string name) {
    if (names_.insert(name).second) return name;
    size_t dot = name.rfind('.');
    size_t slash = name.rfind('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) dot = name.size();
    for (int i = 2;; ++i) {
      std::string candidate = name.substr(0, dot) + " (" + std::to_string(i) + ")" + name.substr(dot);
      if (names_.insert(candidate).second) return candidate;
    }
  }

  Classified& out_;
  fs::path root_;
  std::set<std::string> names_;
};

// Writes one command per line (the reference's commands.ps1 / commands.bat).
StatusOr<fs::path> write_lines(const fs::path& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const auto& l : lines) out << l << "\n";
  if (!out) return make_error(ErrorCode::kUnreadable, "cannot write", path.string());
  return path;
}

}  // namespace

std::string sanitise_name(const std::string& name) {
  std::string out;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    std::string part;
    for (unsigned char c : name.substr(start, end - start)) {
      const bool ok = std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == '@' || c == '(' ||
                      c == ')' || c == ' ';
      if (ok) {
        part.push_back(static_cast<char>(c));
      } else if (part.empty() || part.back() != '_') {
        part.push_back('_');
      }
    }
    if (part == "." || part == "..") part = "_";
    if (part.size() > 200) {
      size_t dot = part.rfind('.');
      std::string ext = (dot != std::string::npos && part.size() - dot <= 16) ? part.substr(dot) : "";
      part = part.substr(0, 200 - ext.size()) + ext;
    }
    if (!part.empty()) out += (out.empty() ? "" : "/") + part;
    start = end + 1;
  }
  return out.empty() ? "file" : out;
}

std::set<int64_t> ontology_pids(const json::Value& ontology) {
  std::set<int64_t> pids;
  const json::Value* processes = json::find(ontology, "processes");
  if (!processes || !processes->is_array()) return pids;
  for (const auto& p : *processes) {
    if (const json::Value* pid = json::find(p, "pid"); pid && pid->is_number_integer()) pids.insert(pid->get<int64_t>());
  }
  return pids;
}

std::string screenshots_section_title(int64_t task_id) {
  return "Screenshots taken during Task " + std::to_string(task_id);
}

bool antivm_note_applies(const config::ServiceConfig& config, const std::string& t) {
  return config.use_antivm_packages && (t == "code/javascript" || t == "code/jscript" || t == "document/office/word");
}

std::vector<std::string> hollowshunter_section_lines(const std::vector<std::string>& dump_names) {
  std::vector<std::string> lines{"HollowsHunter dumped the following:"};
  for (const auto& n : dump_names) lines.push_back("\t- " + n);
  return lines;
}

std::string hollowshunter_signature(const std::string& dump_name) {
  return dump_name.size() >= 4 && dump_name.compare(dump_name.size() - 4, 4, ".dll") == 0 ? "hollowshunter_dll"
                                                                                         : "hollowshunter_exe";
}


StatusOr<Classified> classify_artifacts(const ClassifyInput& in, const config::ServiceConfig& config) {
  Classified out;
  Collector c(out, in.extracted_dir);
  const std::string id = std::to_string(in.task_id);
  const std::string prefix = id + "_";

  if (!in.report_zip.empty()) {
    if (Status s = c.add(in.report_zip, prefix + "cape_report.zip", "CAPE Sandbox analysis report archive (zip)",
                         false);
        !s.ok()) {
      return s.error();
    }
  }

  // Every regular file of the extraction, by its zip path, in a stable order.
  std::vector<std::string> names;
  std::error_code ec;
  if (fs::exists(in.extracted_dir, ec)) {
    for (auto it = fs::recursive_directory_iterator(in.extracted_dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (it->is_regular_file() && !it->is_symlink()) {
        names.push_back(fs::relative(it->path(), in.extracted_dir).generic_string());
      }
    }
  }
  if (ec) return make_error(ErrorCode::kUnreadable, "cannot list: " + ec.message(), in.extracted_dir.string());
  std::sort(names.begin(), names.end());

  std::map<std::string, std::string> name_map;
  if (std::find(names.begin(), names.end(), "files.json") != names.end()) {
    name_map = read_file_name_map(in.extracted_dir / "files.json");
  }
  auto mapped = [&](const std::string& zip_name) {
    auto it = name_map.find(zip_name);
    return it == name_map.end() ? zip_name : it->second;
  };

  static const RE2 hh_report(R"(^hollowshunter/hh_process_([0-9]{3,})_(dump|scan)_report\.json$)");
  // Deviation: any module name (the reference's pattern misses names with '-', ' ', '_', e.g. "etw-dns-app.exe").
  static const RE2 hh_dump(R"(^hollowshunter/hh_process_([0-9]{3,})_[^/]*\.(exe|shc|dll)$)");
  static const std::map<std::string, std::string> etw = {
      {"ETW/etw_dns.json", "ETW monitor DNS logs"},
      {"ETW/etw_netevent.json", "ETW monitor network event logs"},
      {"ETW/etw_proc_spoof.json", "ETW monitor process creation logs"},
      {"ETW/wmi_etw.json", "ETW monitor WMI logs"},
  };

  for (const std::string& name : names) {
    const fs::path path = in.extracted_dir / name;
    Status st;
    std::string pid_text;
    if (contains(name, kEmptySha256) || fs::file_size(path, ec) == 0) {
      c.skip(name, "empty file");
    } else if (name == "reports/lite.json") {
      st = c.add(path, prefix + "report.json", "CAPE Sandbox report (json)", false);
    } else if (name == "files.json") {
      st = c.add(path, prefix + "files.json", "CAPE files mapping", false);
    } else if (starts_with(name, "shots")) {
      if (contains(name, "_small")) {
        c.skip(name, "thumbnail (Assemblyline makes its own)");
      } else {
        st = c.add(path, prefix + mapped(name), "Screenshot captured during analysis", false, true);
      }
    } else if (name == "dump.pcap" || name == "sum.pcap") {
      st = c.add(path, prefix + mapped(name), "TCPDUMP captured during analysis", true);
    } else if (name == "evtx/evtx.zip") {
      // Its members are the artifacts; the inner zip is untrusted like the outer one.
      const fs::path evtx_dir = in.work_dir / (id + "_evtx");
      auto members = extract_zip(path, evtx_dir);
      if (!members.ok()) {
        c.skip(name, "inner zip refused: " + members.error().message);
      } else {
        for (const auto& m : members.value()) {
          if (m.size == 0) {
            c.skip(name + ":" + m.zip_name, "empty file");
            continue;
          }
          if (Status s = c.add(m.path, prefix + mapped(m.zip_name), "EVTX generated during analysis", true); !s.ok()) {
            return s.error();
          }
        }
      }
    } else if (starts_with(name, "network/")) {
      c.skip(name, "HTTP body: shown in the network ontology, not an artifact");
    } else if (starts_with(name, "files/")) {
      const std::string type = in.identify ? in.identify(path) : std::string();
      if (type == "unknown") {
        c.skip(name, "dropped file of unknown type (CAPE's usual noise)");
      } else if (type == "document/office/recoverystore" && in.submitted_file_type == "code/html") {
        c.skip(name, "Internet Explorer recovery store");
      } else {
        st = c.add(path, prefix + mapped(name), "File extracted during analysis", type != "text/plain");
      }
    } else if (starts_with(name, "CAPE") || starts_with(name, "procdump")) {
      // The documented meaning (the reference inverts it): off → dumps kept as supplementary only; on → extracted,
      // all of them with deep scan, else only payloads with a CAPE YARA hit.
      std::optional<int64_t> pid;
      bool yara_hit = false;
      for (const auto& p : in.cape_artifact_pids) {
        const json::Value* sha = json::find(p, "sha256");
        if (!sha || !sha->is_string() || sha->get_ref<const std::string&>().empty() ||
            !contains(name, sha->get_ref<const std::string&>())) {
          continue;
        }
        if (const json::Value* v = json::find(p, "pid"); v && v->is_number_integer() && !pid) pid = v->get<int64_t>();
        if (const json::Value* y = json::find(p, "is_yara_hit"); y && json::truthy(*y)) yara_hit = true;
      }
      const bool extract = config.extract_cape_dumps && (in.deep_scan || yara_hit);
      const std::string file_name = pid ? prefix + std::to_string(*pid) + "_" + mapped(name) : prefix + mapped(name);
      st = c.add(path, file_name, "Memory Dump", extract);
    } else if (auto e = etw.find(name); e != etw.end()) {
      st = c.add(path, prefix + mapped(name), e->second, true);
    } else if (starts_with(name, "macros")) {
      st = c.add(path, prefix + mapped(name), "Macros found during analysis", in.deep_scan);
    } else if (name == "hollowshunter/hh_hollowshunter_hollows.log") {
      st = c.add(path, prefix + "hollows.log", "HollowsHunter trace", false);
    } else if (RE2::FullMatch(name, hh_report, &pid_text) || RE2::FullMatch(name, hh_dump, &pid_text)) {
      const bool is_dump = RE2::FullMatch(name, hh_dump);
      const int64_t pid = std::stoll(pid_text);
      bool main_process = false;
      if (is_dump && contains(name, ".exe")) {
        for (const auto& [main_pid, image] : in.main_process_tuples) {
          if (main_pid == pid && !image.empty() && contains(name, image)) main_process = true;
        }
      }
      if (main_process) {
        c.skip(name, "HollowsHunter dump of the submitted file's own process (CAPE's monitor injection)");
      } else if (in.hollowshunter_pids && !in.hollowshunter_pids->count(pid)) {
        c.skip(name, "HollowsHunter file of a safelisted or unknown process");
      } else if (is_dump && (contains(name, ".exe") || contains(name, ".dll")) &&
                 !contains(head(path, 256), "MZ") && !contains(head(path, 256), "This program cannot be run in DOS mode")) {
        c.skip(name, "HollowsHunter dump is not a PE");
      } else if (is_dump) {
        st = c.add(path, prefix + name, "Memory Dump", true);
        if (st.ok() && (contains(name, ".exe") || contains(name, ".dll"))) {
          out.hollowshunter_dumps.push_back(out.extracted.back().name);
        }
      } else {
        st = c.add(path, prefix + name, "HollowsHunter report (json)", false);
      }
    } else {
      // Nothing lost: whatever else the zip held is kept for the analyst.
      st = c.add(path, prefix + name, "File from the CAPE report archive", false);
    }
    if (!st.ok()) return st.error();
  }

  // Commands seen in the analysis (written here; the reference used shared /tmp files).
  struct Commands {
    const std::vector<std::string>& lines;
    const char* file;
    const char* description;
  };
  for (const Commands& cmd : {Commands{in.powershell_commands, "commands.ps1", "Extract PowerShell commands"},
                              Commands{in.batch_commands, "commands.bat", "Extract Batch commands"}}) {
    if (cmd.lines.empty()) continue;
    fs::create_directories(in.work_dir, ec);
    auto written = write_lines(in.work_dir / (prefix + cmd.file), cmd.lines);
    if (!written.ok()) return written.error();
    if (Status s = c.add(written.value(), prefix + cmd.file, cmd.description, true); !s.ok()) return s.error();
  }
  return out;
}

}  // namespace alcape::artifacts
