#include "config/service_config.hpp"
#include "config/yaml_json.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace alcape::config {
namespace {

TEST(ServiceConfig, DefaultsComeFromTheManifest) {
  ServiceConfig c = default_config();
  ASSERT_EQ(c.hosts.size(), 1u);
  EXPECT_EQ(c.hosts[0].ip, "127.0.0.1");
  EXPECT_EQ(c.hosts[0].port, 8000);
  EXPECT_EQ(c.hosts[0].token, "sample_token");
  EXPECT_EQ(c.connection_timeout_in_seconds, 30);
  EXPECT_EQ(c.service_timeout_in_seconds, 800);
  EXPECT_EQ(c.random_ip_range, "192.0.2.0/24");
  EXPECT_EQ(c.routing_list.size(), 6u);
  EXPECT_TRUE(c.auto_architecture["win"]["x64"].is_array());
  EXPECT_TRUE(c.delete_cape_runs);
  EXPECT_EQ(c.round_robin_type, "default");
}

TEST(ServiceConfig, ParseOverridesAndIgnoresUnknownKeys) {
  auto c = parse_config(json::Value::parse(R"({"rest_timeout_in_seconds": 7, "allowed_images": ["win10x64"],
      "remote_host_details": {"hosts": [{"ip": "10.0.0.1", "port": 9000, "token": "t", "base_url": "https://n:8443/"}]},
      "something_new": 1})"));
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c->rest_timeout_in_seconds, 7);
  EXPECT_EQ(c->allowed_images, std::vector<std::string>{"win10x64"});
  ASSERT_EQ(c->hosts.size(), 1u);
  EXPECT_EQ(c->hosts[0].api_root(), "https://n:8443/apiv2/");
  EXPECT_EQ(c->hosts[0].label(), "https://n:8443/");
  EXPECT_TRUE(c->hosts[0].verify_tls);
  EXPECT_EQ(c->connection_attempts, 3);  // untouched default
}

TEST(ServiceConfig, HostApiRootFromIpAndPort) {
  Host h;
  h.ip = "10.1.1.1";
  h.port = 8080;
  EXPECT_EQ(h.api_root(), "http://10.1.1.1:8080/apiv2/");
  EXPECT_EQ(h.label(), "10.1.1.1:8080");
}

TEST(ServiceConfig, TypeErrorsNameTheKey) {
  auto c = parse_config(json::Value::parse(R"({"rest_timeout_in_seconds": "7"})"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidParams);
  EXPECT_NE(c.error().message.find("rest_timeout_in_seconds"), std::string::npos);
  auto h = parse_config(json::Value::parse(R"({"remote_host_details": {"hosts": [{"ip": "a"}, {"port": "x"}]}})"));
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.error().message.find("remote_host_details.hosts[1].port"), std::string::npos) << h.error().message;
  auto l = parse_config(json::Value::parse(R"({"allowed_images": [1]})"));
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.error().message.find("allowed_images"), std::string::npos);
}

class ConfigFile : public ::testing::Test {
 protected:
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("alcape_config_test_" + std::to_string(::getpid()) + ".yaml");
  void write(const std::string& text) { std::ofstream(path) << text; }
  void TearDown() override { std::filesystem::remove(path); }
};

TEST_F(ConfigFile, BareConfigDict) {
  write("allowed_images: [win10x64, 'ub22x64']\nenforce_routing: yes\nremote_host_details:\n  hosts:\n"
        "    - ip: 127.0.0.1\n      port: 8111\n      token: '123'\n");
  auto c = load_config_file(path.string());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_TRUE(c->enforce_routing);
  EXPECT_EQ(c->allowed_images.size(), 2u);
  EXPECT_EQ(c->hosts.at(0).port, 8111);
  EXPECT_EQ(c->hosts.at(0).token, "123");  // quoted: stays a string
}

TEST_F(ConfigFile, WholeManifestWithConfigKey) {
  write("name: CAPE\ntimeout: 600\nconfig:\n  max_dll_exports_exec: 9\n");
  auto c = load_config_file(path.string());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c->max_dll_exports_exec, 9);
  EXPECT_EQ(c->service_timeout_in_seconds, 600);
}

TEST_F(ConfigFile, ErrorsNameTheFile) {
  write("rest_timeout_in_seconds: [1\n");
  auto c = load_config_file(path.string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().context, path.string());
  auto missing = load_config_file("/nonexistent/alcape.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnreadable);
}

TEST(YamlJson, Pyyaml11Scalars) {
  auto v = yaml_to_json("a: yes\nb: 'yes'\nc: 12\nd: 1.5\ne: ~\nf: text\ng: -3\n");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value()["a"], true);
  EXPECT_EQ(v.value()["b"], "yes");
  EXPECT_EQ(v.value()["c"], 12);
  EXPECT_EQ(v.value()["d"], 1.5);
  EXPECT_TRUE(v.value()["e"].is_null());
  EXPECT_EQ(v.value()["f"], "text");
  EXPECT_EQ(v.value()["g"], -3);
}

TEST(SubmissionParams, DefaultsAreComplete) {
  SubmissionParams p = default_submission_params();
  EXPECT_EQ(p["analysis_timeout_in_seconds"], 0);
  EXPECT_EQ(p["specific_image"], "auto");
  EXPECT_EQ(p["force_sleepskip"], true);
  EXPECT_EQ(p["package"], "None");
  EXPECT_EQ(p["routing"], "none");
  EXPECT_EQ(p["monitored_and_unmonitored"], false);
  EXPECT_EQ(p.size(), 19u);  // the manifest's 19 submission_params
}

TEST(SubmissionParams, ApplyConvertsByManifestType) {
  SubmissionParams p = default_submission_params();
  EXPECT_TRUE(apply_param(p, "analysis_timeout_in_seconds", "300").ok());
  EXPECT_EQ(p["analysis_timeout_in_seconds"], 300);
  EXPECT_TRUE(apply_param(p, "no_monitor", "True").ok());
  EXPECT_EQ(p["no_monitor"], true);
  EXPECT_TRUE(apply_param(p, "arguments", "a b,c").ok());
  EXPECT_EQ(p["arguments"], "a b,c");
  EXPECT_TRUE(apply_param(p, "routing", "INetSim").ok());
  EXPECT_EQ(p["routing"], "inetsim");  // list spelling
  EXPECT_TRUE(apply_param(p, "specific_image", "win10x64").ok());  // image names are list values added by the admin
  EXPECT_EQ(p["specific_image"], "win10x64");
}

TEST(SubmissionParams, ApplyRejectsBadValuesAndNames) {
  SubmissionParams p = default_submission_params();
  Status s = apply_param(p, "analysis_timeout_in_seconds", "12x");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("analysis_timeout_in_seconds"), std::string::npos);
  EXPECT_FALSE(apply_param(p, "no_monitor", "maybe").ok());
  Status r = apply_param(p, "routing", "satellite");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("inetsim"), std::string::npos);
  EXPECT_FALSE(apply_param(p, "platform", "darwin").ok());
  EXPECT_FALSE(apply_param(p, "nope", "1").ok());
  EXPECT_EQ(p["routing"], "none");  // unchanged after errors
}

TEST(SubmissionParams, ParseMergesOverDefaults) {
  auto p = parse_submission_params(json::Value::parse(
      R"({"analysis_timeout_in_seconds": 60, "dump_memory": true, "routing": "internet", "unknown": 3})"));
  ASSERT_TRUE(p.ok()) << p.error().describe();
  EXPECT_EQ(p.value()["analysis_timeout_in_seconds"], 60);
  EXPECT_EQ(p.value()["dump_memory"], true);
  EXPECT_EQ(p.value()["routing"], "internet");
  EXPECT_EQ(p.value()["simulate_user"], true);
  EXPECT_FALSE(p.value().contains("unknown"));
  auto bad = parse_submission_params(json::Value::parse(R"({"dump_memory": [1]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("dump_memory"), std::string::npos);
}

}  // namespace
}  // namespace alcape::config
