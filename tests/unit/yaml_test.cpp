#include "core/yaml.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace alcape::yaml {
namespace {

TEST(Yaml, PlainScalarsResolveLikePyYaml) {
  EXPECT_TRUE(resolve_plain_scalar("~").is_null());
  EXPECT_TRUE(resolve_plain_scalar("null").is_null());
  EXPECT_EQ(resolve_plain_scalar("yes"), json::Value(true));
  EXPECT_EQ(resolve_plain_scalar("Off"), json::Value(false));
  EXPECT_EQ(resolve_plain_scalar("42"), json::Value(42));
  EXPECT_EQ(resolve_plain_scalar("-0x1f"), json::Value(-31));
  EXPECT_EQ(resolve_plain_scalar("0o17"), json::Value(15));
  EXPECT_EQ(resolve_plain_scalar("1_000"), json::Value(1000));
  EXPECT_EQ(resolve_plain_scalar("1.5"), json::Value(1.5));
  EXPECT_EQ(resolve_plain_scalar("6.02e+23"), json::Value(6.02e23));
  EXPECT_TRUE(std::isinf(resolve_plain_scalar("-.inf").get<double>()));
  // Not numbers: versions, addresses, exponents without a sign (YAML 1.1), words.
  EXPECT_EQ(resolve_plain_scalar("1.2.3"), json::Value("1.2.3"));
  EXPECT_EQ(resolve_plain_scalar("192.0.2.0/24"), json::Value("192.0.2.0/24"));
  EXPECT_EQ(resolve_plain_scalar("1e5"), json::Value("1e5"));
  EXPECT_EQ(resolve_plain_scalar("T1518.001"), json::Value("T1518.001"));
}

TEST(Yaml, DocumentBecomesJsonInOrder) {
  auto v = parse("b: 1\na: [x, 'true', \"2\", true]\nc:\n  d: ~\n", "test");
  ASSERT_TRUE(v.ok()) << v.error().describe();
  EXPECT_EQ(v.value().dump(), R"({"b":1,"a":["x","true","2",true],"c":{"d":null}})");
}

TEST(Yaml, ScalarsAsStringsKeepsTextButNull) {
  auto v = parse("match:\n  network.port: [443, yes, ~]\n", "t", ParseOptions{.scalars_as_strings = true});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value()["match"]["network.port"][0], json::Value("443"));
  EXPECT_EQ(v.value()["match"]["network.port"][1], json::Value("yes"));
  EXPECT_TRUE(v.value()["match"]["network.port"][2].is_null());
}

TEST(Yaml, AliasesAndExplicitStringTags) {
  auto v = parse("a: &x [1, 2]\nb: *x\nc: !!str 12\n", "t");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value()["b"], v.value()["a"]);
  EXPECT_EQ(v.value()["c"], json::Value("12"));
}

TEST(Yaml, EmptyDocumentIsNull) {
  auto v = parse("", "t");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v.value().is_null());
}

TEST(Yaml, SyntaxErrorNamesContextAndLine) {
  auto v = parse("a: [1, 2\nb: 3\n", "conf.yaml");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kInvalidParams);
  EXPECT_EQ(v.error().context, "conf.yaml");
  EXPECT_NE(v.error().message.find("line"), std::string::npos) << v.error().message;
}

TEST(Yaml, DeepNestingIsRefused) {
  std::string deep(200, '[');
  auto v = parse(deep, "t", ParseOptions{.max_depth = 64});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kTooDeep);
}

TEST(Yaml, MissingFileIsUnreadable) {
  auto v = parse_file("/nonexistent/al-cape.yaml");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kUnreadable);
}

}  // namespace
}  // namespace alcape::yaml
