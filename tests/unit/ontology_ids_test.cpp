#include "analysis/ontology/ids.hpp"
#include "data/embedded.hpp"

#include <gtest/gtest.h>

namespace ont = alcape::analysis::ontology;
using alcape::json::Value;

TEST(OntologyIds, PythonStrReprQuotingAndEscapes) {
  EXPECT_EQ(ont::python_str_repr("abc"), "'abc'");
  EXPECT_EQ(ont::python_str_repr("it's"), "\"it's\"");
  EXPECT_EQ(ont::python_str_repr("a'b\"c"), "'a\\'b\"c'");
  EXPECT_EQ(ont::python_str_repr("C:\\Windows"), "'C:\\\\Windows'");
  EXPECT_EQ(ont::python_str_repr("t\tn\nr\r\x01\x7f"), "'t\\tn\\nr\\r\\x01\\x7f'");
  EXPECT_EQ(ont::python_str_repr("caf\xc3\xa9"), "'caf\xc3\xa9'");  // printable: kept
  EXPECT_EQ(ont::python_str_repr("\xc2\xa0\xe2\x80\x8b"), "'\\xa0\\u200b'");
}

TEST(OntologyIds, PythonReprOfSortedTuples) {
  Value d = Value::object();
  d["pid"] = 7;
  d["image"] = "x";
  d["command_line"] = nullptr;
  d["list"] = Value::array({1, true, 1.5});
  EXPECT_EQ(ont::python_repr(d), "[('command_line', None), ('image', 'x'), ('list', [1, True, 1.5]), ('pid', 7)]");
}

TEST(OntologyIds, ProcessAndSandboxOidsMatchTheReference) {
  // Values of sample 5c186e41 (Results/result_ontology.json).
  Value p = Value::object();
  p["pid"] = 7684;
  p["ppid"] = 7460;
  p["image"] = "C:\\Windows\\System32\\conhost.exe";
  p["command_line"] = nullptr;
  EXPECT_EQ(ont::process_oid(p), "process_5N3RYUIMzLGF7oSBEEX6W2");

  Value s = Value::parse(R"({"sandbox_name": "CAPE", "sandbox_version": "2.4-CAPE",
      "analysis_metadata": {"start_time": "2025-11-18 20:07:49.000", "end_time": "2025-11-18 20:09:23.000",
                            "task_id": 222958}})");
  EXPECT_EQ(ont::sandbox_oid(s), "sandbox_6p1CbviukxmNND7PFNzVrl");
}

TEST(OntologyIds, SignatureAndNetworkTags) {
  Value sig = Value::parse(R"({"name": "network_bind", "type": "CUCKOO", "classification": "TLP:C"})");
  EXPECT_EQ(ont::signature_tag(sig), "CUCKOO.network_bind");
  EXPECT_EQ(ont::signature_oid(sig), "signature_2C9ZDfmWFfz27KyrIxo0HP");
  EXPECT_EQ(ont::network_connection_tag(Value::parse(R"({"destination_ip": "1.2.3.4", "destination_port": 53})")),
            "1.2.3.4:53");
  EXPECT_EQ(ont::network_connection_tag(Value::parse(R"({"destination_ip": null, "destination_port": 53})")),
            "None:53");
}

TEST(OntologyIds, NetworkDnsOid) {
  // First DNS connection of sample 5c186e41.
  Value nc = Value::parse(R"({"destination_ip": "169.254.128.1", "destination_port": 53,
      "transport_layer_protocol": "udp", "connection_type": "dns",
      "dns_details": {"domain": "1.128.254.169.in-addr.arpa", "resolved_ips": [""], "resolved_domains": null,
                      "lookup_type": "PTR"}, "lookup_type": "PTR"})");
  EXPECT_EQ(ont::network_connection_oid(nc), "network_dns_2tOxrGAfkBAsu89okIOAb9");
}

TEST(OntologyIds, Base62) {
  EXPECT_EQ(ont::base62(0), "0");
  EXPECT_EQ(ont::base62(61), "z");
  EXPECT_EQ(ont::base62(62), "10");
}

TEST(OntologyIds, NormalizePath) {
  EXPECT_EQ(ont::normalize_path("C:\\Windows\\System32\\conhost.exe"), "?sys32\\conhost.exe");
  EXPECT_EQ(ont::normalize_path("C:\\Windows\\SysWOW64\\cmd.exe"), "?sys32\\cmd.exe");
  EXPECT_EQ(ont::normalize_path("C:\\Users\\buddy\\AppData\\Local\\Temp\\AcceptEx.exe"), "?usrtmp\\acceptex.exe");
  EXPECT_EQ(ont::normalize_path("C:\\Users\\buddy\\Desktop\\a.exe"), "?usr\\desktop\\a.exe");
  EXPECT_EQ(ont::normalize_path("C:\\Program Files (x86)\\App\\b.exe"), "?pf86\\app\\b.exe");
  EXPECT_EQ(ont::normalize_path("C:\\Program Files\\App\\b.exe"), "?pf86\\app\\b.exe");
  EXPECT_EQ(ont::normalize_path("C:\\Windows\\explorer.exe"), "?win\\explorer.exe");
  EXPECT_EQ(ont::normalize_path("C:\\tools\\x.exe"), "?c\\tools\\x.exe");
  EXPECT_EQ(ont::normalize_path("%windir%\\x.exe"), "?win\\x.exe");
  EXPECT_EQ(ont::normalize_path("D:\\\xc3\x89T\xc3\x89.exe"), "d:\\\xc3\xa9t\xc3\xa9.exe");
}

TEST(OntologyIds, TreeIdConversionReproducesTheSafeLeafHashes) {
  Value doc = Value::parse(alcape::data::file("safe_process_tree_leaf_hashes.json"));
  ASSERT_GT(doc.size(), 100u);
  for (auto it = doc.begin(); it != doc.end(); ++it)
    EXPECT_EQ(ont::convert_processtree_id_to_tree_id(it.key()), it.value().get<std::string>()) << it.key();
}
