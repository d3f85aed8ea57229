// is_tag_safelisted / contains_safelisted_value cases of assemblyline-service-utilities
// test/test_safelist_helper.py, the YAML loader and the Python-regex edge cases.
#include "analysis/tagging/safelist.hpp"

#include "data/embedded.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using alcape::analysis::Safelist;
using alcape::analysis::SafelistData;

namespace {
Safelist make(const char* yaml) { return Safelist(SafelistData::from_yaml(yaml)); }
}  // namespace

TEST(TaggingSafelist, IsTagSafelistedReferenceCases) {
  EXPECT_FALSE(make("{}").is_tag_safelisted("", std::vector<std::string_view>{}));
  EXPECT_FALSE(make("{}").is_tag_safelisted("blah", "network.dynamic.domain"));
  EXPECT_FALSE(make("match: {network.dynamic.domain: [google.com]}").is_tag_safelisted("blah", std::vector<std::string_view>{}));
  EXPECT_TRUE(make("match: {network.dynamic.domain: [google.com]}").is_tag_safelisted("google.com", "network.dynamic.domain"));
  EXPECT_TRUE(make(R"(regex: {network.dynamic.domain: ['google\.com']})").is_tag_safelisted("google.com", "network.dynamic.domain"));
  Safelist www = make("match: {network.dynamic.domain: [www.google.com]}");
  EXPECT_FALSE(www.is_tag_safelisted("google.com", {"network.dynamic.domain"}, true));
  Safelist g = make("match: {network.dynamic.domain: [google.com]}");
  EXPECT_TRUE(g.is_tag_safelisted("www.google.com", {"network.dynamic.domain"}, true));
  EXPECT_FALSE(g.is_tag_safelisted("www.google.com", {"network.dynamic.domain"}, false));
}

TEST(TaggingSafelist, ContainsSafelistedValueReferenceCases) {
  Safelist sl = make(R"(
regex:
  network.dynamic.domain: ['.*\.adobe\.com$', 'play\.google\.com$']
  network.dynamic.ip: ['(?:127\.|10\.|192\.168|172\.1[6-9]\.|172\.2[0-9]\.|172\.3[01]\.).*']
)");
  EXPECT_FALSE(sl.contains_safelisted_value(""));
  EXPECT_FALSE(sl.contains_safelisted_value("blah"));
  EXPECT_TRUE(sl.contains_safelisted_value("127.0.0.1"));
  EXPECT_TRUE(sl.contains_safelisted_value("http://blah.adobe.com"));
  EXPECT_TRUE(sl.contains_safelisted_value("play.google.com"));
  EXPECT_FALSE(sl.contains_safelisted_value("blah.com"));
  // The first IP wins over any domain in the text.
  EXPECT_FALSE(sl.contains_safelisted_value("blah.adobe.com 8.8.8.8"));
}

TEST(TaggingSafelist, MatchIsCaseInsensitiveRegexAnchoredAtStartOnly) {
  Safelist sl = make(R"(
match: {network.dynamic.domain: [WWW.Example.COM, "B\u00dcCHER.ch"]}
regex: {network.dynamic.ip: ['10\.'], network.dynamic.uri: ['https?://evil\.com/$']}
)");
  EXPECT_TRUE(sl.is_tag_safelisted("www.example.com", "network.dynamic.domain"));
  EXPECT_TRUE(sl.is_tag_safelisted("b\xc3\xbc" "cher.CH", "network.dynamic.domain"));
  EXPECT_FALSE(sl.is_tag_safelisted("www.example.com.evil", "network.dynamic.domain"));
  EXPECT_TRUE(sl.is_tag_safelisted("10.1.2.3", "network.dynamic.ip"));       // prefix match
  EXPECT_FALSE(sl.is_tag_safelisted("110.1.2.3", "network.dynamic.ip"));     // not a search
  EXPECT_TRUE(sl.is_tag_safelisted("HTTP://EVIL.COM/", "network.dynamic.uri"));
  EXPECT_TRUE(sl.is_tag_safelisted("http://evil.com/\n", "network.dynamic.uri"));  // `$` before a final newline
  EXPECT_FALSE(sl.is_tag_safelisted("http://evil.com/x", "network.dynamic.uri"));
  EXPECT_FALSE(sl.is_tag_safelisted("10.1.2.3", "network.static.ip"));
}

TEST(TaggingSafelist, UnsupportedPythonSyntaxIsReportedNotFatal) {
  Safelist sl = make(R"(
regex:
  network.dynamic.domain: ['(?!evil).*\.com$', 'good\.com$', '(a)\1', '[unclosed']
)");
  ASSERT_EQ(sl.invalid_patterns().size(), 3u);
  EXPECT_NE(sl.invalid_patterns()[0].find("look-around"), std::string::npos);
  EXPECT_TRUE(sl.is_tag_safelisted("good.com", "network.dynamic.domain"));
  EXPECT_FALSE(sl.is_tag_safelisted("other.com", "network.dynamic.domain"));
}

TEST(TaggingSafelist, PythonRegexDialect) {
  Safelist sl = make(R"(
regex:
  a: ['\d{2,}x$']
  b: ['x{,2}y\Z']
  c: ['\\~[A-Z]{3}{[A-F0-9]{8}\}']
  d: ['[\w.]+@']
  e: ['a\sb']
)");
  EXPECT_TRUE(sl.invalid_patterns().empty());
  EXPECT_TRUE(sl.is_tag_safelisted("\xd9\xa1\xd9\xa2x", "a"));  // Arabic-Indic digits are \d in Python
  EXPECT_TRUE(sl.is_tag_safelisted("xxy", "b"));
  EXPECT_FALSE(sl.is_tag_safelisted("xxy\n", "b"));               // \Z is the absolute end
  EXPECT_TRUE(sl.is_tag_safelisted("\\~ABC{0123ABCD}", "c"));     // '{' not starting a repeat is literal
  EXPECT_TRUE(sl.is_tag_safelisted("j\xc3\xa9r\xc3\xb4me.x@", "d"));
  EXPECT_TRUE(sl.is_tag_safelisted("a\x0b" "b", "e"));             // \v is whitespace in Python
  EXPECT_TRUE(sl.is_tag_safelisted("a\xc2\xa0" "b", "e"));         // so is U+00A0
}

TEST(TaggingSafelist, ShippedSafelistsLoadAndCompile) {
  SafelistData d = SafelistData::from_yaml(alcape::data::file("system_safelist.yaml"));
  d.merge(SafelistData::from_yaml(alcape::data::file("tag_safelist_default.yml")));
  Safelist sl(std::move(d));
  EXPECT_TRUE(sl.invalid_patterns().empty()) << sl.invalid_patterns().front();
  EXPECT_TRUE(sl.is_tag_safelisted("settings-win.data.microsoft.com", "network.dynamic.domain"));
  EXPECT_TRUE(sl.is_tag_safelisted("1.0.168.192.in-addr.arpa", "network.dynamic.domain"));
  EXPECT_TRUE(sl.is_tag_safelisted("www.inetsim.org", "network.dynamic.domain"));
  EXPECT_TRUE(sl.is_tag_safelisted("10.0.2.15", "network.dynamic.ip"));
  EXPECT_TRUE(sl.is_tag_safelisted("C:\\Windows\\System32\\SearchIndexer.exe", "dynamic.process.file_name"));
  EXPECT_FALSE(sl.is_tag_safelisted("qzx7k2m9vb.top", "network.dynamic.domain"));
  EXPECT_FALSE(sl.is_tag_safelisted("203.0.113.45", "network.dynamic.ip"));
}

TEST(TaggingSafelist, YamlErrorsAreClear) {
  auto message = [](const char* yaml) {
    try {
      SafelistData::from_yaml(yaml);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message("match: [a, b]").find("`match` must be a mapping"), std::string::npos);
  EXPECT_NE(message("regexp: {a: [b]}").find("unknown top-level key `regexp`"), std::string::npos);
  EXPECT_NE(message("match: {a: b}").find("match.a must be a list"), std::string::npos);
  EXPECT_NE(message("match: {a: [{x: 1}]}").find("not a string"), std::string::npos);
  EXPECT_NE(message("match: {a: [b").find("invalid YAML"), std::string::npos);
  EXPECT_NE(message("- a").find("expected a mapping"), std::string::npos);
  EXPECT_TRUE(SafelistData::from_yaml("").empty());
  SafelistData nulled = SafelistData::from_yaml("match: {network.dynamic.domain: }");
  EXPECT_TRUE(nulled.match.at("network.dynamic.domain").empty());
  SafelistData json = SafelistData::from_yaml(R"({"match": {"t": ["v", 1]}})");
  EXPECT_EQ(json.match.at("t"), (std::vector<std::string>{"v", "1"}));
}

TEST(TaggingSafelist, PreparingATagTypeAheadChangesNoAnswer) {
  Safelist s = make(R"(regex: {network.dynamic.domain: ['(?:[a-z]+\.)?google\.com$'], file.path: ['C:\\Windows\\.*']})");
  s.prepare("network.dynamic.domain");
  s.prepare("file.path");
  s.prepare("no.such.type");  // nothing to compile: a no-op
  EXPECT_TRUE(s.is_tag_safelisted("www.google.com", "network.dynamic.domain"));
  EXPECT_TRUE(s.is_tag_safelisted("google.com\n", "network.dynamic.domain"));  // Python's `$` before a final newline
  EXPECT_FALSE(s.is_tag_safelisted("google.com.evil", "network.dynamic.domain"));
  EXPECT_FALSE(s.is_tag_safelisted("www.\u00e9google.com", "network.dynamic.domain"));
  EXPECT_TRUE(s.is_tag_safelisted("c:\\windows\\system32", "file.path"));  // IGNORECASE
  EXPECT_FALSE(s.is_tag_safelisted("D:\\data", "file.path"));
}
