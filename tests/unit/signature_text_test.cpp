// Python string behaviour used by the signature marks.
#include "analysis/stages/py_repr.hpp"
#include "analysis/stages/signature_text.hpp"

#include <gtest/gtest.h>

namespace alcape::analysis {
namespace {

TEST(SignatureText, TruncateCountsCodePointsAndAddsDots) {
  EXPECT_EQ(py_truncate("abcdef", 6), "abcdef");
  EXPECT_EQ(py_truncate("abcdef", 4), "abcd...");
  EXPECT_EQ(py_truncate("\xc3\xa9\xc3\xa9\xc3\xa9", 2), "\xc3\xa9\xc3\xa9...");
  // safe_str first: a control character becomes four characters.
  EXPECT_EQ(py_truncate("\x01" "abc", 3), "\\x0...");
}

// Mark values are stringified with py_str (py_repr.hpp); these are the shapes marks have.
TEST(SignatureText, PyStrOfScalars) {
  EXPECT_EQ(py_str(json::Value(300)), "300");
  EXPECT_EQ(py_str(json::Value(true)), "True");
  EXPECT_EQ(py_str(json::Value()), "None");
  EXPECT_EQ(py_str(json::Value(7.95)), "7.95");
  EXPECT_EQ(py_str(json::Value("as is")), "as is");
}

TEST(SignatureText, PyStrOfContainersUsesRepr) {
  json::Value v = json::Value::parse(R"({"name": ".rsrc", "entropy": 7.95, "valid": true, "hosts": ["x.example.com"],
                                       "q": "it's", "n": null})");
  EXPECT_EQ(py_str(v), R"({'name': '.rsrc', 'entropy': 7.95, 'valid': True, 'hosts': ['x.example.com'], )"
                       R"('q': "it's", 'n': None})");
  EXPECT_EQ(py_str(json::Value::parse(R"(["a\\b\n", 1])")), R"(['a\\b\n', 1])");
}

}  // namespace
}  // namespace alcape::analysis
