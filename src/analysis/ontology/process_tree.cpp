// The event tree of the ontology (get_process_tree), its inspection (flag_process_tree) and the final
// preprocessing (preprocess_ontology), as the library does them (reference-behaviour.md §6.3, §6.4).
#include "core/digest.hpp"
#include "analysis/ontology/object_updates.hpp"
#include "analysis/ontology/ontology.hpp"
#include "analysis/ontology/times.hpp"
#include "data/embedded.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace alcape::analysis::ontology {

namespace {

constexpr int kProcessTreeDepthLimit = 10;
// Python's recursion limit bounds the reference's relationship sort; a cycle stops it there.
constexpr int kRelationshipSortLimit = 990;

// _sort_things_by_time_observed key: local epoch of time_observed, MIN_TIME as epoch 0. An unparsable time makes
// the reference raise; here it sorts first.
int64_t time_key(const json::Value& time_observed) {
  if (!time_observed.is_string()) return 0;
  const auto& s = time_observed.get_ref<const std::string&>();
  if (s == kMinTime) return 0;
  return parse_local_time_with_ms(s).value_or(0);
}

struct Node {
  json::Value dict;  // the event's primitives
  std::vector<size_t> children;
};

const json::Value& objectid_of(const json::Value& d) { return json::get(d, "objectid"); }

// The ObjectID of the event's parent: pobjectid for a process, process.objectid for a network connection.
const json::Value* parent_objectid(const json::Value& d) {
  if (d.contains("pobjectid")) {
    const json::Value& p = d["pobjectid"];
    return json::truthy(p) ? &p : nullptr;
  }
  const json::Value& proc = json::get(d, "process");
  if (json::truthy(proc)) return &json::get(proc, "objectid");
  return nullptr;
}

void stable_sort_by_time(std::vector<size_t>& order, const std::vector<Node>& nodes) {
  for (size_t i : order)
    if (json::get(objectid_of(nodes[i].dict), "time_observed").is_null()) return;
  std::stable_sort(order.begin(), order.end(), [&nodes](size_t a, size_t b) {
    return time_key(json::get(objectid_of(nodes[a].dict), "time_observed")) <
           time_key(json::get(objectid_of(nodes[b].dict), "time_observed"));
  });
}

// _sort_things_by_relationship: a parent with the same time_observed as its child is moved before the child.
void sort_by_relationship(std::vector<size_t>& order, const std::vector<Node>& nodes) {
  for (int round = 0; round < kRelationshipSortLimit; ++round) {
    bool moved = false;
    for (size_t index = 0; index < order.size() && !moved; ++index) {
      const json::Value& thing = nodes[order[index]].dict;
      const json::Value* pobj = parent_objectid(thing);
      if (!pobj) continue;
      const json::Value& t_time = json::get(objectid_of(thing), "time_observed");
      const json::Value& p_time = json::get(*pobj, "time_observed");
      if (t_time != p_time) continue;
      for (size_t j = index + 1; j < order.size(); ++j) {
        const json::Value& parent_oid = objectid_of(nodes[order[j]].dict);
        if (json::get(*pobj, "guid") == json::get(parent_oid, "guid") &&
            p_time == json::get(parent_oid, "time_observed")) {
          size_t popped = order[j];
          order.erase(order.begin() + static_cast<std::ptrdiff_t>(j));
          order.insert(order.begin() + static_cast<std::ptrdiff_t>(index), popped);
          moved = true;
          break;
        }
      }
    }
    if (!moved) return;
  }
}

json::Value to_json(const std::vector<Node>& nodes, size_t i) {
  json::Value d = nodes[i].dict;
  json::Value children = json::Value::array();
  for (size_t c : nodes[i].children) children.push_back(to_json(nodes, c));
  d["children"] = std::move(children);
  return d;
}

bool contains(const std::vector<std::string>& list, const json::Value& v) {
  if (!v.is_string()) return false;
  return std::find(list.begin(), list.end(), v.get_ref<const std::string&>()) != list.end();
}

// _remove_safe_leaves_helper on the json tree: removes safe branches bottom-up; a node whose children were all
// removed takes the last removed child's tree id (so it is removed too when that id is safe).
std::optional<std::string> remove_safe_leaves(json::Value& node, const std::vector<std::string>& safe) {
  json::Value& children = node["children"];
  size_t i = 0;
  while (i < children.size()) {
    auto hash = remove_safe_leaves(children[i], safe);
    if (hash && json::get(children[i]["objectid"], "treeid") == *hash) {
      children.erase(children.begin() + static_cast<std::ptrdiff_t>(i));
      if (children.empty()) node["objectid"]["treeid"] = *hash;
    } else {
      ++i;
    }
  }
  if (children.empty()) {
    const json::Value& treeid = json::get(node["objectid"], "treeid");
    if (contains(safe, treeid)) return treeid.get<std::string>();
  }
  return std::nullopt;
}

}  // namespace

void Ontology::update_objectid_tree(const std::string& guid, const std::string& treeid, const std::string& processtree,
                                    const std::unordered_map<std::string, ObjectIDPtr>& netflow_by_guid) {
  ObjectIDPtr target;
  if (auto p = get_process_by_guid(guid)) target = p->objectid;
  if (!target) {
    auto it = netflow_by_guid.find(guid);  // the first connection with that GUID
    if (it != netflow_by_guid.end()) target = it->second;
  }
  if (!target) return;
  fill(target->treeid, treeid);
  fill(target->processtree, processtree);
}

std::pair<ProcessTree, std::vector<std::string>> Ontology::get_process_tree(const std::vector<std::string>& safelist,
                                                                           bool use_process_tree_inspection) {
  // get_events: processes with a start time and connections with a time, sorted by time observed.
  std::vector<Node> events;
  for (const auto& p : processes_)
    if (p->start_time) events.push_back({p->as_primitives(), {}});
  for (const auto& nc : netflows_)
    if (nc->objectid && nc->objectid->time_observed) events.push_back({nc->as_primitives(), {}});
  std::vector<size_t> order(events.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  stable_sort_by_time(order, events);

  // _convert_events_to_dict: keyed by GUID (all or nothing); a repeated GUID keeps its first position.
  std::vector<Node> nodes;
  std::map<std::string, size_t> by_guid;
  bool all_have_guid = true;
  for (size_t i : order)
    if (!json::get(objectid_of(events[i].dict), "guid").is_string()) all_have_guid = false;
  if (all_have_guid) {
    for (size_t i : order) {
      std::string guid = json::get(objectid_of(events[i].dict), "guid").get<std::string>();
      auto it = by_guid.find(guid);
      if (it != by_guid.end()) {
        nodes[it->second] = std::move(events[i]);
      } else {
        by_guid.emplace(guid, nodes.size());
        nodes.push_back(std::move(events[i]));
      }
    }
  }

  // _convert_events_dict_to_tree
  std::vector<size_t> sorted(nodes.size());
  for (size_t i = 0; i < sorted.size(); ++i) sorted[i] = i;
  stable_sort_by_time(sorted, nodes);
  sort_by_relationship(sorted, nodes);
  std::vector<size_t> roots;
  std::unordered_set<std::string> seen;
  std::vector<int> level(nodes.size(), 1);
  int max_depth = nodes.empty() ? 0 : 1;
  for (size_t e : sorted) {
    std::optional<std::string> pguid;
    const json::Value& d = nodes[e].dict;
    if (d.contains("pobjectid")) {
      const json::Value& g = json::get(d["pobjectid"], "guid");
      if (g.is_string() && !g.get_ref<const std::string&>().empty()) pguid = g.get<std::string>();
    } else {
      const json::Value& g = json::get(json::get(json::get(d, "process"), "objectid"), "guid");
      if (g.is_string() && !g.get_ref<const std::string&>().empty()) pguid = g.get<std::string>();
    }
    if (pguid && seen.count(*pguid)) {
      if (max_depth < kProcessTreeDepthLimit) {
        size_t parent = by_guid.at(*pguid);
        nodes[parent].children.push_back(e);
        level[e] = level[parent] + 1;
        max_depth = std::max(max_depth, level[e]);
      }
    } else {
      roots.push_back(e);
    }
    seen.insert(json::get(objectid_of(d), "guid").get<std::string>());
  }
  stable_sort_by_time(roots, nodes);

  // _create_treeids: chained hashes of the tags; written back to objects that have none yet.
  std::unordered_map<std::string, ObjectIDPtr> netflow_by_guid;
  for (const auto& nc : netflows_)
    if (nc->objectid && nc->objectid->guid) netflow_by_guid.emplace(*nc->objectid->guid, nc->objectid);
  auto hash_node = [&](auto&& self, size_t i, const std::string& parent_treeid,
                       const std::string& parent_processtree) -> void {
    json::Value& d = nodes[i].dict;
    const json::Value& tag_v = json::get(d["objectid"], "tag");
    std::string tag = tag_v.is_string() ? tag_v.get<std::string>() : "notag";
    std::string treeid = digest::sha256_hex(parent_treeid + tag);
    d["objectid"]["treeid"] = treeid;
    std::string processtree;
    const json::Value& pobj = json::get(d, "pobjectid");
    if (!parent_processtree.empty()) processtree = parent_processtree + "|" + tag;
    else if (json::truthy(pobj) && json::truthy(json::get(pobj, "processtree")) &&
             json::get(pobj, "processtree").is_string())
      processtree = json::get(pobj, "processtree").get<std::string>() + "|" + tag;
    else if (json::truthy(pobj) && json::truthy(json::get(pobj, "tag")) && json::get(pobj, "tag").is_string())
      processtree = json::get(pobj, "tag").get<std::string>() + "|" + tag;
    else processtree = tag;
    d["objectid"]["processtree"] = processtree;
    const json::Value& guid = json::get(d["objectid"], "guid");
    if (guid.is_string() && !guid.get_ref<const std::string&>().empty())
      update_objectid_tree(guid.get<std::string>(), treeid, processtree, netflow_by_guid);
    for (size_t c : nodes[i].children) self(self, c, treeid, processtree);
  };
  for (size_t r : roots) hash_node(hash_node, r, "", "");

  json::Value tree = json::Value::array();
  for (size_t r : roots) tree.push_back(to_json(nodes, r));

  if (!safelist.empty()) {
    // _remove_safe_leaves
    size_t i = 0;
    while (i < tree.size()) {
      remove_safe_leaves(tree[i], safelist);
      if (contains(safelist, json::get(tree[i]["objectid"], "treeid")) && tree[i]["children"].empty())
        tree.erase(tree.begin() + static_cast<std::ptrdiff_t>(i));
      else ++i;
    }
  }
  std::vector<std::string> signatures;
  if (use_process_tree_inspection) signatures = flag_process_tree(tree);
  return {std::move(tree), std::move(signatures)};
}

std::vector<std::string> flag_process_tree(const ProcessTree& tree) {
  static const std::vector<std::string> kSuspiciousTreeIds = [] {
    std::vector<std::string> ids;
    for (const char* p : {R"(?sys32\services.exe|?sys32\wbem\wmiapsrv.exe)",
                          R"(?sys32\svchost.exe|?sys32\wbem\wmiprvse.exe|?sys32\schtasks.exe)",
                          R"(?sys32\rundll32.exe|?sys32\wermgr.exe)", R"(?sys32\rundll32.exe|?sys32\rundll32.exe)",
                          R"(?sys32\rundll32.exe|?sys32\explorer.exe)", R"(?sys32\rundll32.exe|?sys32\regsvr32.exe)",
                          R"(?usrtmp\pkgmgr.exe|?sys32\msconfig.exe)", R"(?sys32\svchost.exe|?sys32\mshta.exe)",
                          R"(?sys32\WorkFolders.exe|?sys32\control.exe)", R"(?sys32\wsreset.exe|?sys32\conhost.exe)"})
      ids.push_back(convert_processtree_id_to_tree_id(p));
    return ids;
  }();
  static const RE2 kFalsePositive(R"(\?sys32\\werfault\.exe)");
  static const RE2 kSuspiciousPatterns([] {
    const std::string exe = R"(\?usrtmp\\[a-z0123456789\-_ ]*\.exe)";
    const std::string cmd =
        R"(\?usrtmp\\[a-z0123456789\-_]*\.ps1|\?usrtmp\\[a-z0123456789\-_]*\.cmd|\?usrtmp\\[a-z0123456789\-_]*\.bat|\?usrtmp\\[a-z0123456789\-_]*\.bash)";
    const std::string child = R"(\|)";
    const std::string unregmp2 = R"(\?sys32\\unregmp2\.exe)";
    const std::string appvlp = R"(\?pf86\\Microsoft Office\\root\\client\\appvlp\.exe)";
    const std::string winfile = R"(\?sys32\\winfile.exe)";
    std::string all = unregmp2 + child + exe + "|" + appvlp + child + exe + "|" + winfile + child + exe + "|" +
                      unregmp2 + child + cmd + "|" + appvlp + child + cmd + "|" + winfile + child + cmd;
    return all;
  }());
  static const RE2 kSuspiciousSubprocesses(
      R"(\?sys32\\schtasks\.exe|\?sys32\\cmd\.exe|\?win\\\$sxr-powershell\.exe|\?sys32\\windowspowershell\\v1\.0\\powershell\.exe|\?sys32\\rundll32\.exe)");
  static const char* kLolbasProcess[] = {
      "addinutil.exe", "AppInstaller.exe", "CertOC.exe",  "control.exe",       "diskshadow.exe", "eventvwr.exe",
      "Extexport.exe", "hh.exe",           "Ieexec.exe",  "InstallUtil.exe",   "mmc.exe",        "pcalua.exe",
      "pcwrun.exe",    "provlaunch.exe",   "regsvr32.exe", "runexehelper.exe", "sc.exe",         "wmic.exe",
      "wt.exe",        "tttracer.exe",     "wsl.exe"};
  static const char* kOfficeProcs[] = {"winword",     "excel.exe",   "powerpnt.exe", "acrord32.exe",
                                       "onenote.exe", "outlook.exe", "hta.exe",      "wordview"};
  static const char* kRemotingProcs[] = {"rdpclip.exe",  "tscon.exe", "mstsc.exe",  "qwinsta.exe", "netsh.exe",
                                         "bitsadmin.exe", "cmdl32.exe", "DataSvcUtil.exe", "ftp.exe", "IMEWDBLD.exe",
                                         "Ldifde.exe",   "MpCmdRun.exe", "ssh.exe", "winget.exe", "wmic.exe"};
  static const char* kLolbasSubprocess[] = {"bash.exe",   "CertOC.exe",  "CertReq.exe",  "CertUtil.exe", "cmd.exe",
                                            "cmstp.exe",  "conhost.exe", "control.exe",  "csc.exe",      "cscript.exe",
                                            "MSBuild.exe", "msdt.exe",   "mshta.exe",    "Ngen.exe",     "powershell.exe",
                                            "regsvr32.exe", "rundll32.exe", "wscript.exe"};

  std::vector<std::string> out;
  if (!tree.is_array()) return out;
  for (const auto& root : tree) {
    if (!root.is_object() || !root.contains("image")) continue;
    const json::Value& oid = json::get(root, "objectid");
    const json::Value& treeid = json::get(oid, "treeid");
    const json::Value& pt_v = json::get(oid, "processtree");
    const std::string processtree = pt_v.is_string() ? pt_v.get<std::string>() : std::string();
    if (contains(kSuspiciousTreeIds, treeid)) out.push_back("Suspicious_Patterns");
    if (RE2::PartialMatch(processtree, kFalsePositive)) continue;
    if (RE2::PartialMatch(processtree, kSuspiciousPatterns)) {
      out.push_back("Suspicious_Patterns");
      continue;
    }
    if (RE2::PartialMatch(processtree, kSuspiciousSubprocesses)) {
      out.push_back("Suspicious_Patterns");
      continue;
    }
    for (const char* lol : kLolbasProcess)
      if (processtree.find(lol) != std::string::npos) {
        out.push_back("Lolbas_Patterns");
        break;
      }
    for (const char* office : kOfficeProcs) {
      if (processtree.find(office) == std::string::npos) continue;
      for (const char* sub : kLolbasSubprocess)
        if (processtree.find(sub) != std::string::npos) {
          out.push_back("Suspicious_Patterns");
          break;
        }
    }
    for (const char* remote : kRemotingProcs)
      if (processtree.find(remote) != std::string::npos) {
        out.push_back("Suspicious_Remote_Patterns");
        break;
      }
  }
  return out;
}

// --- preprocess_ontology ---

void Ontology::set_item_times(ObjectID& o) {
  std::optional<std::string> start, end;
  for (const auto& s : sandboxes_)
    if (s->objectid && s->objectid->session == o.session) {
      start = s->analysis_metadata.start_time;
      end = s->analysis_metadata.end_time;
      break;
    }
  if (start == kMinTime) start = "1970-01-01 00:00:00.000000";
  if (o.time_observed == kMinTime) {
    if (start) o.time_observed = start;
  } else if (o.time_observed == kMaxTime) {
    if (end) o.time_observed = end;
  }
}

void Ontology::set_item_times(Process& p) {
  std::optional<std::string> start, end;
  for (const auto& s : sandboxes_)
    if (s->objectid && p.objectid && s->objectid->session == p.objectid->session) {
      start = s->analysis_metadata.start_time;
      end = s->analysis_metadata.end_time;
      break;
    }
  if (start == kMinTime) start = "1970-01-01 00:00:00.000000";
  if (p.start_time == kMinTime) p.start_time = start;
  if (p.end_time == kMaxTime) p.end_time = end;
  auto fix = [&](ObjectID& o) {
    if (o.time_observed == kMinTime && start) o.time_observed = start;
    if (o.time_observed == kMaxTime && end) o.time_observed = end;
  };
  if (p.objectid) fix(*p.objectid);
  if (p.pobjectid) fix(*p.pobjectid);
}

void Ontology::preprocess_ontology(const std::vector<std::string>& safelist) {
  // _remove_safelisted_processes(safelist, need_tree_id=True)
  std::vector<ProcessPtr> safe_processes;
  for (const auto& p : processes_) {
    const auto& treeid = p->objectid->treeid;
    if (!treeid || std::find(safelist.begin(), safelist.end(), *treeid) != safelist.end()) safe_processes.push_back(p);
  }
  auto is_safe = [&safe_processes](const ProcessPtr& p) {
    return p && std::find(safe_processes.begin(), safe_processes.end(), p) != safe_processes.end();
  };
  std::vector<NetworkConnectionPtr> safe_connections;
  for (const auto& nc : netflows_)
    if (is_safe(nc->process)) safe_connections.push_back(nc);
  std::vector<SignaturePtr> safe_signatures;
  for (const auto& sig : signatures_) {
    // As the reference: a signature goes when some safelisted process is the source of all its attributes. all()
    // of no attributes is true, so once any process is safelisted every attribute-less signature goes too
    // (§10.28). Kept: the real samples' expected ontologies show it, and they must match without deviation.
    bool safe = std::any_of(safe_processes.begin(), safe_processes.end(), [&sig](const ProcessPtr& sp) {
      return std::all_of(sig->attributes.begin(), sig->attributes.end(),
                         [&sp](const AttributePtr& a) { return a->source == sp->objectid; });
    });
    if (safe) safe_signatures.push_back(sig);
  }
  auto remove_first = [](auto& list, const auto& item) {
    auto it = std::find(list.begin(), list.end(), item);
    if (it != list.end()) list.erase(it);
  };
  for (const auto& nc : safe_connections)
    if (nc->http_details) remove_first(http_netflows_, nc->http_details);
  for (const auto& nc : safe_connections)
    if (nc->dns_details) remove_first(dns_netflows_, nc->dns_details);
  for (const auto& nc : safe_connections) remove_first(netflows_, nc);
  for (const auto& sig : safe_signatures) remove_first(signatures_, sig);
  for (const auto& p : safe_processes) remove_first(processes_, p);

  for (const auto& p : processes_) set_item_times(*p);
  for (const auto& sig : signatures_)
    for (const auto& a : sig->attributes)
      if (a->source) set_item_times(*a->source);
  for (const auto& nc : netflows_)
    if (nc->process) set_item_times(*nc->process);
}

std::vector<std::string> processtree_id_safelist(const std::vector<std::string>& custom_processtree_ids) {
  static const std::vector<std::string> kSafeHashes = [] {
    std::vector<std::string> out;
    json::Value doc = json::Value::parse(data::file("safe_process_tree_leaf_hashes.json"));
    for (auto it = doc.begin(); it != doc.end(); ++it)
      if (it.value().is_string()) out.push_back(it.value().get<std::string>());
    return out;
  }();
  std::vector<std::string> out = kSafeHashes;
  for (const auto& id : custom_processtree_ids) out.push_back(convert_processtree_id_to_tree_id(id));
  return out;
}

}  // namespace alcape::analysis::ontology
