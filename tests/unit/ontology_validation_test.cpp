// validate_sandbox_event: expectations checked against the reference function running on Cerberus 1.3.
#include "analysis/ontology/sandbox_validation.hpp"

#include <gtest/gtest.h>

namespace ont = alcape::analysis::ontology;
using alcape::json::Value;
using Kind = ont::SandboxEventKind;

namespace {

Value process() {
  return Value::parse(R"({"image": "C:\\a.exe", "start_time": "2020-01-01 00:00:00.123", "ppid": 1, "pid": 2,
      "command_line": "x", "end_time": "-", "integrity_level": "high", "image_hash": null,
      "original_file_name": null, "safelisted": false, "file_count": 0, "registry_count": 0,
      "sources": ["capemon"]})");
}

Value connection() {
  return Value::parse(R"({"destination_ip": "1.2.3.4", "destination_port": 80, "transport_layer_protocol": "tcp",
      "direction": "outbound", "process": null, "source_ip": null, "source_port": null, "http_details": null,
      "dns_details": null, "connection_type": null, "time_observed": "2020-01-01 00:00:00.123",
      "sources": ["PCAP"]})");
}

bool valid(const Value& v, Kind k) { return ont::validate_sandbox_event(v, k).has_value(); }

}  // namespace

TEST(OntologyValidation, ValidItemsComeBackUnchanged) {
  EXPECT_EQ(*ont::validate_sandbox_event(process(), Kind::Process), process());
  EXPECT_EQ(*ont::validate_sandbox_event(connection(), Kind::NetworkConnection), connection());
  EXPECT_FALSE(ont::validate_sandbox_event(Value::array(), Kind::Process));
}

TEST(OntologyValidation, ProcessRules) {
  Value p = process();
  p["command_line"] = std::string(1025, 'a');  // > 1024 characters: dropped
  EXPECT_FALSE(valid(p, Kind::Process));
  p = process();
  p["end_time"] = nullptr;  // nullable, but the time check still runs on None
  EXPECT_FALSE(valid(p, Kind::Process));
  p = process();
  p["start_time"] = "2020-1-1 0:0:0.1";  // strptime accepts one-digit fields
  EXPECT_TRUE(valid(p, Kind::Process));
  p = process();
  p["integrity_level"] = "HIGH";
  EXPECT_FALSE(valid(p, Kind::Process));
  p = process();
  p["pid"] = " 7 ";  // int() coercion
  p["unknown"] = 1;  // purged
  Value n = *ont::validate_sandbox_event(p, Kind::Process);
  EXPECT_EQ(n["pid"], 7);
  EXPECT_FALSE(n.contains("unknown"));
}

TEST(OntologyValidation, NetworkConnectionRules) {
  Value c = connection();
  c["process"] = Value::parse(R"({"pid": 1})");  // a process dict cannot be coerced to int
  EXPECT_FALSE(valid(c, Kind::NetworkConnection));
  c = connection();
  c["destination_port"] = 99999;  // no upper bound (MAX_PORT_NUMBER is a tuple)
  EXPECT_TRUE(valid(c, Kind::NetworkConnection));
  c = connection();
  c["time_observed"] = "";  // empty allowed
  EXPECT_TRUE(valid(c, Kind::NetworkConnection));
  c = connection();
  c["destination_ip"] = "1.2.3.4 ";
  EXPECT_FALSE(valid(c, Kind::NetworkConnection));
  c = connection();
  c["connection_type"] = "http";
  c["http_details"] = Value::parse(R"({"request_uri": "http://a.com/x", "request_method": "GET",
      "request_headers": {}, "response_headers": {}, "request_body": null, "response_status_code": null,
      "response_body": null})");
  EXPECT_FALSE(valid(c, Kind::NetworkConnection)) << "header dicts fail the malformed sub-schema";
  c = connection();
  c["connection_type"] = "dns";
  c["dns_details"] = Value::parse(
      R"({"domain": "a.example.com", "resolved_ips": [""], "resolved_domains": null, "lookup_type": "TXT"})");
  EXPECT_FALSE(valid(c, Kind::NetworkConnection));
  c["dns_details"]["lookup_type"] = "PTR";
  c["dns_details"]["domain"] = "1.128.254.169.in-addr.arpa";
  EXPECT_TRUE(valid(c, Kind::NetworkConnection));
}

TEST(OntologyValidation, SignatureRules) {
  Value s = Value::parse(R"({"name": "n", "type": "CUCKOO", "classification": "TLP:C", "attacks": [],
      "actors": [], "malware_families": [], "data": [{"a": 1}], "score": 10, "pid": null, "description": "d",
      "sources": ["CAPE"]})");
  EXPECT_TRUE(valid(s, Kind::Signature));
  s["description"] = std::string(257, 'd');
  EXPECT_FALSE(valid(s, Kind::Signature));
  s["description"] = "d";
  s["data"] = Value::parse("[{}]");  // data items must be non-empty dicts
  EXPECT_FALSE(valid(s, Kind::Signature));
  s["data"] = Value::array();
  s["pid"] = Value::parse(R"(["12"])");
  EXPECT_EQ((*ont::validate_sandbox_event(s, Kind::Signature))["pid"], Value::parse("[12]"));
}

TEST(OntologyValidation, BoolCountsAsIntegerAndLooseComparisonKeepsTheOriginal) {
  Value c = connection();
  c["process"] = true;  // int(True) == 1 == True: the reference keeps the original dict
  EXPECT_EQ((*ont::validate_sandbox_event(c, Kind::NetworkConnection))["process"], true);
}
