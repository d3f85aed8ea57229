// The AL emulator's tag rules (4.7 Rust server): nested tags kept, invalid ones dropped and reported.
#include "emulators/al/al_server.hpp"

#include <gtest/gtest.h>

namespace alcape::emulators::al {
namespace {

TEST(AlEmulatorTags, NestedValidTagsKept) {
  std::vector<std::string> rejected;
  json::Value tags = {{"network", {{"dynamic", {{"domain", {"Evil.Example.org"}}, {"ip", {"203.0.113.7"}}}},
                                   {"port", {443}}}},
                      {"file", {{"rule", {{"cape", {"cape.Emotet"}}}}}}};
  json::Value out = validate_tags(tags, rejected);
  EXPECT_TRUE(rejected.empty());
  EXPECT_EQ(out["network"]["dynamic"]["domain"][0], "evil.example.org");
  EXPECT_EQ(out["network"]["port"][0], 443);
  EXPECT_EQ(out["file"]["rule"]["cape"][0], "cape.Emotet");
}

TEST(AlEmulatorTags, InvalidTagsDroppedAndReported) {
  std::vector<std::string> rejected;
  json::Value tags = {{"network.port", {70000}},
                      {"network", {{"dynamic", {{"ip", {"010.1.1.1", "10.1.1.1"}}, {"domain", {"nodot"}}}}}},
                      {"file.rule.cape", {"x"}},
                      {"not", {{"a", {{"tag", {"v"}}}}}}};
  json::Value out = validate_tags(tags, rejected);
  EXPECT_EQ(out["network"]["dynamic"]["ip"], json::Value::array({"10.1.1.1"}));
  EXPECT_FALSE(out.contains("file"));
  EXPECT_FALSE(out.contains("not"));
  EXPECT_EQ(rejected.size(), 5u);
}

}  // namespace
}  // namespace alcape::emulators::al
