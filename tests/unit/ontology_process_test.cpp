// OntologyResults behaviour: process creation/validation, parent linking, the event tree and its ids, tree
// inspection and preprocessing (reference-behaviour.md §6.3, §6.4).
#include "analysis/ontology/ontology.hpp"

#include <gtest/gtest.h>

namespace ont = alcape::analysis::ontology;
using alcape::json::Value;

namespace {

struct Fixture {
  ont::Ontology o;
  std::string session = "S";

  Fixture() {
    ont::ObjectIDFields f;
    f.session = session;
    ont::AnalysisMetadata m;
    m.start_time = "2026-01-01 10:00:00.000";
    m.end_time = "2026-01-01 10:05:00.000";
    o.add_sandbox(o.create_sandbox(o.create_objectid("CAPE", "sandbox_x", f), "CAPE", m, "2.5"));
  }

  ont::ProcessPtr add(int64_t pid, int64_t ppid, const std::string& image, const std::string& start,
                      std::optional<std::string> guid = std::nullopt, std::optional<std::string> end = std::nullopt) {
    ont::ProcessFields f;
    f.pid = pid;
    f.ppid = ppid;
    f.image = image;
    f.start_time = start;
    f.end_time = end;
    ont::ObjectIDFields of;
    of.guid = guid;
    of.session = session;
    Value oid_data = Value::object();
    oid_data["pid"] = pid;
    oid_data["ppid"] = ppid;
    oid_data["image"] = image;
    oid_data["command_line"] = nullptr;
    auto p = o.create_process(
        o.create_objectid(*ont::Process::create_objectid_tag(image), ont::process_oid(oid_data), of), f);
    o.add_process(p);
    return p;
  }
};

const char* kExplorer = "C:\\Windows\\explorer.exe";
const char* kCmd = "C:\\Windows\\System32\\cmd.exe";
const char* kConhost = "C:\\Windows\\System32\\conhost.exe";
const char* kRundll = "C:\\Windows\\System32\\rundll32.exe";

}  // namespace

TEST(OntologyProcess, CreateProcessFillsGuidEndTimeAndTimeObserved) {
  Fixture fx;
  auto p = fx.add(100, 4, kCmd, "2026-01-01 10:00:01.000");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->end_time, std::string(ont::kMaxTime));
  EXPECT_EQ(p->objectid->time_observed, "2026-01-01 10:00:01.000");
  ASSERT_TRUE(p->objectid->guid);
  EXPECT_EQ(p->objectid->guid->size(), 38u);
  EXPECT_EQ(p->objectid->tag, "?sys32\\cmd.exe");
  EXPECT_EQ(p->objectid->service_name, "CAPE");
  // Without image or start time the reference raises: no process.
  ont::ProcessFields missing;
  missing.image = kCmd;
  EXPECT_FALSE(fx.o.create_process(fx.o.create_objectid("t", "o"), missing));
}

TEST(OntologyProcess, DuplicateGuidIsRejectedAndPidReuseNeedsDisjointTimes) {
  Fixture fx;
  fx.add(100, 4, kCmd, "2026-01-01 10:00:01.000", "{AAAAAAAA-0000-0000-0000-000000000001}",
         "2026-01-01 10:00:02.000");
  fx.add(101, 4, kCmd, "2026-01-01 10:00:01.000", "{AAAAAAAA-0000-0000-0000-000000000001}");
  EXPECT_EQ(fx.o.processes().size(), 1u);
  fx.add(100, 4, kCmd, "2026-01-01 10:00:01.500", "{AAAAAAAA-0000-0000-0000-000000000002}");  // overlaps
  EXPECT_EQ(fx.o.processes().size(), 1u);
  fx.add(100, 4, kCmd, "2026-01-01 10:00:03.000", "{AAAAAAAA-0000-0000-0000-000000000003}");  // after: reuse
  EXPECT_EQ(fx.o.processes().size(), 2u);
}

TEST(OntologyProcess, ParentLinkingSharesTheParentObjectId) {
  Fixture fx;
  auto parent = fx.add(200, 4, kExplorer, "2026-01-01 10:00:00.500");
  auto child = fx.add(300, 200, kCmd, "2026-01-01 10:00:01.000");
  EXPECT_EQ(child->pobjectid, parent->objectid);
  EXPECT_EQ(child->pimage, kExplorer);
  EXPECT_EQ(child->ppid, 200);
  // A child added before its parent is not linked by set_child_details (its window is checked against the
  // parent's start time, §10.28), so it stays a root.
  auto orphan = fx.add(400, 500, kConhost, "2026-01-01 10:00:02.000");
  fx.add(500, 4, kCmd, "2026-01-01 10:00:01.500");
  EXPECT_FALSE(orphan->pobjectid);
}

TEST(OntologyProcess, GuidLookupsAreCaseInsensitiveAndNormalised) {
  Fixture fx;
  fx.add(100, 4, kCmd, "2026-01-01 10:00:01.000", "{8e6fc5a7-d22c-691c-5903-000000006100}");
  EXPECT_TRUE(fx.o.is_guid_in_gpm("8E6FC5A7-D22C-691C-5903-000000006100"));
  EXPECT_TRUE(fx.o.get_process_by_guid(std::string("{8E6FC5A7-D22C-691C-5903-000000006100}")));
  EXPECT_FALSE(fx.o.is_guid_in_gpm("not-a-guid"));
  // The GUID is stored as given (create_objectid does not normalise it).
  EXPECT_EQ(fx.o.processes()[0]->objectid->guid, "{8e6fc5a7-d22c-691c-5903-000000006100}");
}

TEST(OntologyProcess, UpdateProcessFillsOnlyUnsetFieldsAndLinksByPguid) {
  Fixture fx;
  auto parent = fx.add(200, 4, kExplorer, "2026-01-01 10:00:00.500", "{AAAAAAAA-0000-0000-0000-000000000002}");
  auto p = fx.add(100, 4, kCmd, "2026-01-01 10:00:01.000", "{AAAAAAAA-0000-0000-0000-000000000001}");
  ont::ProcessFields f;
  f.guid = "{AAAAAAAA-0000-0000-0000-000000000001}";
  f.pguid = "{AAAAAAAA-0000-0000-0000-000000000002}";
  f.image = "C:\\other.exe";
  f.command_line = "cmd /c x";
  f.integrity_level = "High";
  f.end_time = "2026-01-01 10:00:04.000";
  fx.o.update_process(f);
  EXPECT_EQ(p->image, kCmd);
  EXPECT_EQ(p->command_line, "cmd /c x");
  EXPECT_EQ(p->integrity_level, "high");
  EXPECT_EQ(p->end_time, "2026-01-01 10:00:04.000");  // the MAX placeholder counts as unset
  EXPECT_EQ(p->pobjectid, parent->objectid);
}

TEST(OntologyProcess, TreeIdsAndProcessTreesAreChainedAndWrittenBack) {
  Fixture fx;
  auto parent = fx.add(200, 4, kExplorer, "2026-01-01 10:00:00.500");
  auto child = fx.add(300, 200, kCmd, "2026-01-01 10:00:01.000");
  auto [tree, sigs] = fx.o.get_process_tree({}, true);
  ASSERT_EQ(tree.size(), 1u);
  EXPECT_EQ(tree[0]["children"].size(), 1u);
  EXPECT_EQ(parent->objectid->processtree, "?win\\explorer.exe");
  EXPECT_EQ(child->objectid->processtree, "?win\\explorer.exe|?sys32\\cmd.exe");
  EXPECT_EQ(child->objectid->treeid, ont::convert_processtree_id_to_tree_id("?win\\explorer.exe|?sys32\\cmd.exe"));
  // Only roots are inspected: cmd.exe under explorer is not flagged.
  EXPECT_TRUE(sigs.empty());
}

TEST(OntologyProcess, TreeInspectionFlagsRoots) {
  Fixture fx;
  fx.add(300, 200, kCmd, "2026-01-01 10:00:01.000");
  auto [tree, sigs] = fx.o.get_process_tree({}, true);
  EXPECT_EQ(sigs, std::vector<std::string>{"Suspicious_Patterns"});

  Value roots = Value::parse(R"([
    {"image": "x", "objectid": {"treeid": "t", "processtree": "?sys32\\wbem\\wmic.exe"}, "children": []},
    {"image": "x", "objectid": {"treeid": "t", "processtree": "?win\\explorer.exe|?sys32\\werfault.exe|?sys32\\cmd.exe"}, "children": []},
    {"image": "x", "objectid": {"treeid": "t", "processtree": "?pf86\\microsoft office\\winword.exe|?usrtmp\\a.exe|?sys32\\mshta.exe"}, "children": []},
    {"destination_ip": "1.2.3.4", "objectid": {"treeid": "t", "processtree": "?sys32\\cmd.exe"}, "process": null, "children": []}
  ])");
  // wmic.exe is both a LOLBAS and a remoting tool; werfault.exe exempts its tree; winword and "hta.exe" (inside
  // mshta.exe) are two Office matches, each with a LOLBAS child (checked against the reference function).
  EXPECT_EQ(ont::flag_process_tree(roots), (std::vector<std::string>{"Lolbas_Patterns", "Suspicious_Remote_Patterns",
                                                                      "Suspicious_Patterns", "Suspicious_Patterns"}));
  Value by_id = Value::array();
  by_id.push_back(Value::parse(R"({"image": "x", "objectid": {"processtree": "p"}, "children": []})"));
  by_id[0]["objectid"]["treeid"] =
      ont::convert_processtree_id_to_tree_id("?sys32\\rundll32.exe|?sys32\\regsvr32.exe");
  EXPECT_EQ(ont::flag_process_tree(by_id), std::vector<std::string>{"Suspicious_Patterns"});
}

TEST(OntologyProcess, SafeBranchesArePrunedFromTheTree) {
  Fixture fx;
  fx.add(200, 4, kCmd, "2026-01-01 10:00:00.500");
  fx.add(300, 200, kConhost, "2026-01-01 10:00:01.000");
  // "?sys32\cmd.exe|?sys32\conhost.exe" is one of the built-in safe leaves: the whole branch goes.
  auto [tree, sigs] = fx.o.get_process_tree(ont::processtree_id_safelist({}), true);
  EXPECT_TRUE(tree.empty());
  EXPECT_TRUE(sigs.empty());
}

TEST(OntologyProcess, PreprocessRemovesSafelistedProcessesAndFixesTimes) {
  Fixture fx;
  auto kept = fx.add(100, 4, kRundll, "2026-01-01 10:00:01.000");
  auto safe = fx.add(200, 4, "C:\\Windows\\System32\\svchost.exe", "2026-01-01 10:00:02.000");
  // Attribute-less: removed, because a process was safelisted (the reference's all([]) is True, §10.28).
  fx.o.add_signature(fx.o.create_signature(fx.o.create_objectid("CUCKOO.x", "signature_x"), "x", "CUCKOO", "TLP:C"));
  auto sig2 = fx.o.create_signature(fx.o.create_objectid("CUCKOO.y", "signature_y"), "y", "CUCKOO", "TLP:C");
  sig2->add_attribute(ont::Ontology::create_attribute(kept->objectid));
  fx.o.add_signature(sig2);
  // Only about the safelisted process: removed with it.
  auto sig3 = fx.o.create_signature(fx.o.create_objectid("CUCKOO.z", "signature_z"), "z", "CUCKOO", "TLP:C");
  sig3->add_attribute(ont::Ontology::create_attribute(safe->objectid));
  fx.o.add_signature(sig3);
  fx.o.get_process_tree({}, false);
  fx.o.preprocess_ontology(ont::processtree_id_safelist({}));
  ASSERT_EQ(fx.o.processes().size(), 1u);
  EXPECT_EQ(fx.o.processes()[0], kept);
  EXPECT_EQ(kept->end_time, "2026-01-01 10:05:00.000");  // MAX time -> sandbox end
  ASSERT_EQ(fx.o.signatures().size(), 1u);
  EXPECT_EQ(fx.o.signatures()[0]->name, "y");
  // The attribute source is the process's ObjectID: it shows the tree id.
  EXPECT_EQ(fx.o.signatures()[0]->as_primitives()["attributes"][0]["source"]["processtree"], "?sys32\\rundll32.exe");
}

TEST(OntologyProcess, PreprocessKeepsAttributeLessSignaturesWhenNothingIsSafelisted) {
  Fixture fx;
  fx.add(100, 4, kRundll, "2026-01-01 10:00:01.000");
  fx.o.add_signature(fx.o.create_signature(fx.o.create_objectid("CUCKOO.x", "signature_x"), "x", "CUCKOO", "TLP:C"));
  fx.o.get_process_tree({}, false);
  fx.o.preprocess_ontology(ont::processtree_id_safelist({}));
  EXPECT_EQ(fx.o.processes().size(), 1u);
  ASSERT_EQ(fx.o.signatures().size(), 1u);
  EXPECT_EQ(fx.o.signatures()[0]->name, "x");
}

TEST(OntologyProcess, CustomProcessTreeIdsExtendTheSafelist) {
  auto list = ont::processtree_id_safelist({"?usrtmp\\a.exe"});
  EXPECT_EQ(list.back(), ont::convert_processtree_id_to_tree_id("?usrtmp\\a.exe"));
  EXPECT_GT(list.size(), 100u);
}

TEST(OntologyProcess, NetworkConnectionPointsToTheOntologyProcess) {
  Fixture fx;
  auto p = fx.add(100, 4, kCmd, "2026-01-01 10:00:01.000");
  ont::NetworkConnection nc;
  nc.objectid = fx.o.create_objectid("1.2.3.4:80", "network_x");
  nc.destination_ip = "1.2.3.4";
  nc.destination_port = 80;
  nc.transport_layer_protocol = "tcp";
  nc.direction = "outbound";
  auto c = fx.o.create_network_connection(nc);
  ASSERT_TRUE(c);
  ont::ProcessFields pf;
  pf.pid = 100;
  pf.image = kCmd;
  pf.start_time = "2026-01-01 10:00:02.000";  // inside the process's lifetime
  c->update_process(pf, fx.o.create_objectid("?sys32\\cmd.exe", "process_y"));
  ASSERT_TRUE(c->process);
  EXPECT_NE(c->process, p);  // pending until added
  fx.o.add_network_connection(c);
  EXPECT_EQ(c->process, p);
  nc.transport_layer_protocol = "icmp";
  EXPECT_FALSE(fx.o.create_network_connection(nc));
  EXPECT_EQ(fx.o.get_network_connection_by_details("1.2.3.4", 80, "outbound", "tcp"), c);
}
