// service_manifest.yml: the checked-in file is what `al-cape manifest` generates, and it is a valid AL manifest
// (assemblyline-contract.md §5).
#include "service/manifest.hpp"

#include "support/test_paths.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <fstream>
#include <set>
#include <sstream>

namespace alcape::service {
namespace {

std::string read_repo_file(const std::string& name) {
  std::ifstream in(alcape::testing::data_dir().parent_path().parent_path() / name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ServiceManifest, CheckedInFileIsGenerated) {
  EXPECT_EQ(read_repo_file("service_manifest.yml"), generate_manifest_yaml())
      << "run: ./build/al-cape manifest > service_manifest.yml";
}

TEST(ServiceManifest, ValidPerContract) {
  auto m = manifest_json(generate_manifest_yaml(), "4.7.0.stable3");
  ASSERT_TRUE(m.ok()) << m.error().describe();
  const json::Value& j = *m;
  EXPECT_EQ(j["name"], "CAPE");
  EXPECT_EQ(j["version"], "4.7.0.stable3");
  for (const char* k : {"accepts", "rejects"}) {
    ASSERT_TRUE(j[k].is_string());
    EXPECT_TRUE(RE2(j[k].get<std::string>()).ok()) << k;
  }
  std::set<std::string> categories = {"Antivirus", "Dynamic Analysis", "External", "Extraction", "Filtering",
                                      "Internet Connected", "Networking", "Static Analysis"};
  EXPECT_TRUE(categories.count(j["category"].get<std::string>()));
  std::set<std::string> stages = {"FILTER", "EXTRACT", "CORE", "SECONDARY", "POST", "REVIEW"};
  EXPECT_TRUE(stages.count(j["stage"].get<std::string>()));
  EXPECT_TRUE(j["timeout"].is_number_integer());
  EXPECT_EQ(j["file_required"], true);
  ASSERT_TRUE(j["config"].is_object());
  // docker_config: required image, and no "assemblyline" in it (else the scaler adds a Python health check).
  ASSERT_TRUE(j["docker_config"].is_object());
  std::string image = j["docker_config"]["image"].get<std::string>();
  EXPECT_EQ(image.find("assemblyline"), std::string::npos);
  EXPECT_TRUE(image.ends_with(":4.7.0.stable3")) << "the image tag must follow the service version: " << image;
  // submission params: the UI wants default == value, and list params with their list holding the default.
  for (const auto& p : j["submission_params"]) {
    ASSERT_TRUE(p["name"].is_string());
    std::string type = p["type"].get<std::string>();
    EXPECT_TRUE(type == "str" || type == "int" || type == "bool" || type == "list") << p["name"];
    EXPECT_EQ(p["default"], p["value"]) << p["name"];
    if (type == "list") {
      ASSERT_TRUE(p["list"].is_array()) << p["name"];
      EXPECT_NE(std::find(p["list"].begin(), p["list"].end(), p["default"]), p["list"].end()) << p["name"];
    }
    if (type == "bool") EXPECT_TRUE(p["default"].is_boolean()) << p["name"];
    if (type == "int") EXPECT_TRUE(p["default"].is_number_integer()) << p["name"];
  }
  ASSERT_TRUE(j["heuristics"].is_array());
  EXPECT_GT(j["heuristics"].size(), 60u);
  for (const auto& h : j["heuristics"]) {
    for (const char* k : {"heur_id", "name", "score", "filetype", "description"}) EXPECT_TRUE(h.contains(k)) << h;
    EXPECT_TRUE(h["score"].is_number_integer()) << h;
  }
}

TEST(ServiceManifest, ServiceTagDefaultsLikeRunService) {
  auto m = manifest_json(generate_manifest_yaml(), "");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)["version"], "4.7.0.dev0");
}

TEST(ServiceManifest, YamlScalarsAreTyped) {
  auto j = yaml_to_json("a: 1\nb: \"1\"\nc: true\nd: ~\ne: 1.5\nf: text\n");
  ASSERT_TRUE(j.ok());
  EXPECT_TRUE((*j)["a"].is_number_integer());
  EXPECT_TRUE((*j)["b"].is_string());
  EXPECT_EQ((*j)["c"], true);
  EXPECT_TRUE((*j)["d"].is_null());
  EXPECT_TRUE((*j)["e"].is_number_float());
  EXPECT_EQ((*j)["f"], "text");
}

}  // namespace
}  // namespace alcape::service
