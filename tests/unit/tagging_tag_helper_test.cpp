// add_tag / _validate_tag cases of assemblyline-service-utilities test/test_tag_helper.py, plus edge cases.
#include "analysis/tagging/tag_helper.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

using alcape::analysis::add_tag;
using alcape::analysis::Safelist;
using alcape::analysis::SafelistData;
using alcape::analysis::TagOutcome;
using alcape::analysis::validate_tag;
using alcape::json::Value;
using alcape::result::Section;

namespace {

using TagMap = std::map<std::string, std::vector<Value>>;

TagMap tags_of(const Section& s) {
  TagMap m;
  for (const auto& [t, v] : s.tags.entries()) m[t] = v;
  return m;
}

Safelist make_safelist(const char* yaml) { return Safelist(SafelistData::from_yaml(yaml)); }

struct ValidateCase {
  std::string tag;
  std::string value;
  TagMap expected;
  TagOutcome outcome;
};

}  // namespace

TEST(TaggingAddTag, ReferenceCases) {
  Safelist sl = make_safelist("match: {domain: [blah.ca]}");
  {
    Section s("blah");
    EXPECT_FALSE(add_tag(s, "blah", Value(""), &sl));
    EXPECT_TRUE(s.tags.empty());
  }
  {
    Section s("blah");
    EXPECT_TRUE(add_tag(s, "blah", Value("blah"), &sl));
    EXPECT_EQ(tags_of(s), (TagMap{{"blah", {Value("blah")}}}));
  }
  {
    Section s("blah");
    EXPECT_FALSE(add_tag(s, "blah", Value::array(), &sl));
    EXPECT_TRUE(s.tags.empty());
  }
  {
    Section s("blah");
    EXPECT_TRUE(add_tag(s, "blah", Value::array({"blah"}), &sl));
    EXPECT_EQ(tags_of(s), (TagMap{{"blah", {Value("blah")}}}));
  }
  {
    Section s("blah");
    EXPECT_TRUE(add_tag(s, "blah", Value::array({"blah", "blahblah"}), &sl));
    EXPECT_EQ(tags_of(s), (TagMap{{"blah", {Value("blah"), Value("blahblah")}}}));
  }
}

TEST(TaggingAddTag, ListResultIsTheLastItems) {
  Section s("x");
  // The first item is valid, the last is not: the reference returns the last item's result.
  EXPECT_FALSE(add_tag(s, "network.dynamic.ip", Value::array({"1.2.3.4", "not an ip"})));
  EXPECT_EQ(tags_of(s), (TagMap{{"network.dynamic.ip", {Value("1.2.3.4")}}}));
  EXPECT_TRUE(add_tag(s, "network.dynamic.ip", Value::array({"bad", "5.6.7.8"})));
}

TEST(TaggingAddTag, DuplicateStillReturnsTrue) {
  Section s("x");
  EXPECT_TRUE(add_tag(s, "network.dynamic.domain", Value("evil.com")));
  EXPECT_TRUE(add_tag(s, "network.dynamic.domain", Value("evil.com")));
  EXPECT_EQ(s.tags.values("network.dynamic.domain")->size(), 1u);
}

TEST(TaggingAddTag, IntegersStayIntegers) {
  Section s("x");
  EXPECT_TRUE(add_tag(s, "network.port", Value(443)));
  EXPECT_FALSE(add_tag(s, "network.port", Value(0)));  // falsy
  EXPECT_TRUE(add_tag(s, "network.port", Value("4444")));
  EXPECT_EQ(tags_of(s), (TagMap{{"network.port", {Value(443), Value("4444")}}}));
  // A non-string value for a validated tag type is rejected (the reference raises TypeError).
  EXPECT_FALSE(add_tag(s, "network.dynamic.ip", Value(1234)));
  EXPECT_FALSE(add_tag(s, "network.dynamic.uri", Value(true)));
}

TEST(TaggingValidateTag, ReferenceCases) {
  Safelist sl = make_safelist("match: {network.static.domain: [blah.ca]}");
  const std::vector<ValidateCase> cases = {
      {"", "", {}, {false, false}},
      {"blah", "", {}, {false, false}},
      {"blah", "blah", {{"blah", {Value("blah")}}}, {true, false}},
      {"network.static.uri_path", "/blah", {{"network.static.uri_path", {Value("/blah")}}}, {true, false}},
      {"network.static.ip", "blah", {}, {false, false}},
      {"network.static.ip", "1.1.1.1", {{"network.static.ip", {Value("1.1.1.1")}}}, {true, false}},
      {"network.static.domain", "blah", {}, {false, false}},
      {"network.static.domain", "blah.blah", {}, {false, false}},
      {"network.static.domain", "microsoft.net", {{"network.static.domain", {Value("microsoft.net")}}}, {true, false}},
      {"network.static.domain", "blah.py", {{"network.static.domain", {Value("blah.py")}}}, {true, false}},
      {"network.static.domain", "blah.ca", {}, {false, true}},
      {"network.static.uri", "http://blah.blah/blah", {{"file.string.extracted", {Value("http://blah.blah/blah")}}},
       {true, false}},
      {"network.dynamic.uri",
       "http://blah.com/blah",
       {{"network.dynamic.uri", {Value("http://blah.com/blah")}},
        {"network.dynamic.domain", {Value("blah.com")}},
        {"network.dynamic.uri_path", {Value("/blah")}}},
       {true, false}},
      {"network.dynamic.uri",
       "http://1.1.1.1/blah",
       {{"network.dynamic.uri", {Value("http://1.1.1.1/blah")}},
        {"network.dynamic.ip", {Value("1.1.1.1")}},
        {"network.dynamic.uri_path", {Value("/blah")}}},
       {true, false}},
      {"network.static.uri", "C:\\file.js?blah/blah.exe", {{"file.string.extracted", {Value("C:\\file.js?blah/blah.exe")}}},
       {true, false}},
      {"network.static.uri",
       "http://blah.ca/blah",
       {{"network.static.uri", {Value("http://blah.ca/blah")}}, {"network.static.uri_path", {Value("/blah")}}},
       {true, false}},
      {"network.static.uri", "www.blah.ca", {{"network.static.domain", {Value("www.blah.ca")}}}, {true, false}},
      {"network.dynamic.uri",
       "https://127.0.0.1/c9k5y4.zip",
       {{"network.dynamic.ip", {Value("127.0.0.1")}},
        {"network.dynamic.uri", {Value("https://127.0.0.1/c9k5y4.zip")}},
        {"network.dynamic.uri_path", {Value("/c9k5y4.zip")}}},
       {true, false}},
      {"network.dynamic.uri", "/c9k5y4.zip", {{"network.dynamic.uri_path", {Value("/c9k5y4.zip")}}}, {true, false}},
  };
  for (const auto& c : cases) {
    Section s("blah");
    TagOutcome got = validate_tag(s, c.tag, Value(c.value), &sl);
    EXPECT_EQ(got.added, c.outcome.added) << c.tag << " " << c.value;
    EXPECT_EQ(got.safelisted, c.outcome.safelisted) << c.tag << " " << c.value;
    EXPECT_EQ(tags_of(s), c.expected) << c.tag << " " << c.value;
  }
}

TEST(TaggingValidateTag, UriKeepsHostCaseAndTagsInsertionOrder) {
  Section s("x");
  EXPECT_TRUE(add_tag(s, "network.dynamic.uri", Value("HTTP://EVIL.CA/SOME/THING/BAD.EXE")));
  ASSERT_EQ(s.tags.entries().size(), 3u);
  EXPECT_EQ(s.tags.entries()[0].first, "network.dynamic.domain");
  EXPECT_EQ(s.tags.entries()[0].second[0], Value("EVIL.CA"));
  EXPECT_EQ(s.tags.entries()[1].first, "network.dynamic.uri");
  EXPECT_EQ(s.tags.entries()[2].first, "network.dynamic.uri_path");
  EXPECT_EQ(s.tags.entries()[2].second[0], Value("/SOME/THING/BAD.EXE"));
}

TEST(TaggingValidateTag, UriWithPortUserinfoAndQueryEncoding) {
  Section s("x");
  // FULL_URI rejects the space in the path; quote_plus only encodes the query, so the retry fails too and
  // the result is False although the host was tagged.
  EXPECT_FALSE(add_tag(s, "network.dynamic.uri", Value("http://user:pw@Evil.com:8080/a b?x=1 2")));
  EXPECT_FALSE(s.tags.has_type("network.dynamic.uri"));
  EXPECT_EQ(tags_of(s)["network.dynamic.domain"], (std::vector<Value>{Value("Evil.com")}));

  Section t("y");
  EXPECT_TRUE(add_tag(t, "network.dynamic.uri", Value("http://evil.com/p?q=a b")));
  EXPECT_EQ(tags_of(t)["network.dynamic.uri"], (std::vector<Value>{Value("http://evil.com/p?q%3Da+b")}));
  EXPECT_EQ(tags_of(t)["network.dynamic.uri_path"], (std::vector<Value>{Value("/p?q%3Da+b")}));
}

TEST(TaggingValidateTag, UriPathIsBetweenTheFirstTwoDoubleSlashes) {
  Section s("x");
  EXPECT_TRUE(add_tag(s, "network.dynamic.uri", Value("http://evil.com/a//b")));
  EXPECT_EQ(tags_of(s)["network.dynamic.uri_path"], (std::vector<Value>{Value("/a")}));
}

TEST(TaggingValidateTag, SafelistedUriAndIpv6AndInvalidHosts) {
  Safelist sl = make_safelist(R"(
regex:
  network.dynamic.uri: ['https?://wpad\..*/wpad\.dat']
  network.dynamic.ip: ['(?:127\.|10\.).*']
)");
  Section s("x");
  // The whole URI is checked against the safelist before its parts are looked at.
  TagOutcome o = validate_tag(s, "network.dynamic.uri", Value("http://wpad.corp.example.com/wpad.dat"), &sl);
  EXPECT_EQ(o, (TagOutcome{false, true}));
  EXPECT_TRUE(s.tags.empty());

  Section v6("v6");
  EXPECT_FALSE(add_tag(v6, "network.dynamic.ip", Value("2001:db8:53::1")));  // IPv4 only
  EXPECT_FALSE(add_tag(v6, "network.dynamic.ip", Value("fe80::1")));
  EXPECT_TRUE(v6.tags.empty());

  Section priv("p");
  EXPECT_FALSE(add_tag(priv, "network.dynamic.ip", Value("10.0.2.15"), &sl));
  EXPECT_TRUE(add_tag(priv, "network.static.ip", Value("10.0.2.15"), &sl));  // only the dynamic type is listed

  Section bad("b");
  EXPECT_FALSE(add_tag(bad, "network.dynamic.domain", Value("_ldap._tcp.dc._msdcs.example.com")));
  EXPECT_FALSE(add_tag(bad, "network.dynamic.domain", Value("online_nat.online_nat")));
  EXPECT_FALSE(add_tag(bad, "network.dynamic.ip", Value("0.1.2.3")));
  EXPECT_FALSE(add_tag(bad, "network.dynamic.ip", Value("1.2.3.0")));
  EXPECT_TRUE(bad.tags.empty());
}

TEST(TaggingValidateTag, IpPrefixMatchAndPythonInt) {
  Section s("x");
  // re.match(IP_REGEX) is a prefix match and int() strips whitespace: the value is kept as given.
  EXPECT_TRUE(add_tag(s, "network.dynamic.ip", Value("1.2.3.4 ")));
  EXPECT_TRUE(add_tag(s, "network.dynamic.ip", Value("010.1.2.3")));
  EXPECT_FALSE(add_tag(s, "network.dynamic.ip", Value("1.2.3.4:80")));
  EXPECT_FALSE(add_tag(s, "network.dynamic.ip", Value(" 1.2.3.4")));
  EXPECT_EQ(tags_of(s)["network.dynamic.ip"], (std::vector<Value>{Value("1.2.3.4 "), Value("010.1.2.3")}));
}

TEST(TaggingValidateTag, SafeStrAndInvalidUtf8) {
  Section s("x");
  EXPECT_TRUE(add_tag(s, "file.string.extracted", Value(std::string("a\x01") + "b")));
  EXPECT_EQ(tags_of(s)["file.string.extracted"], (std::vector<Value>{Value("a\\x01b")}));
  Section t("y");
  const std::string junk = "http://\xff\xfe.com/\xc3";
  EXPECT_TRUE(add_tag(t, "network.dynamic.uri", Value(junk)));  // never crashes; falls back to a string tag
}

TEST(TaggingValidators, Domains) {
  using alcape::analysis::is_valid_domain;
  EXPECT_TRUE(is_valid_domain("www.example.com"));
  EXPECT_TRUE(is_valid_domain("WWW.EXAMPLE.COM"));
  EXPECT_TRUE(is_valid_domain("foo.local"));
  EXPECT_TRUE(is_valid_domain("1.128.254.169.in-addr.arpa"));
  EXPECT_TRUE(is_valid_domain("b\xc3\xbc" "cher.ch"));                // bücher.ch
  EXPECT_TRUE(is_valid_domain("example.\xd1\x80\xd1\x84"));           // example.рф (xn--p1ai)
  EXPECT_TRUE(is_valid_domain("example.\xd0\xa0\xd0\xa4"));           // example.РФ
  EXPECT_FALSE(is_valid_domain("example.\xd1\x80\xd1\x85"));          // not a TLD
  EXPECT_FALSE(is_valid_domain("a_b.example.com"));
  EXPECT_FALSE(is_valid_domain("online_nat.online_nat"));
  EXPECT_FALSE(is_valid_domain("example"));
  EXPECT_FALSE(is_valid_domain("example..com"));
  EXPECT_FALSE(is_valid_domain("-example.com"));
  EXPECT_FALSE(is_valid_domain("example-.com"));
  EXPECT_FALSE(is_valid_domain("user@example.com"));
  EXPECT_FALSE(is_valid_domain("example.com."));
  EXPECT_FALSE(is_valid_domain(""));
  EXPECT_FALSE(is_valid_domain("blah.blah"));
}

TEST(TaggingValidators, Ips) {
  using alcape::analysis::is_valid_ip;
  EXPECT_TRUE(is_valid_ip("1.2.3.4"));
  EXPECT_TRUE(is_valid_ip("255.255.255.255"));
  EXPECT_TRUE(is_valid_ip("01.2.3.4"));
  EXPECT_TRUE(is_valid_ip(" 1.2.3.4"));  // int(" 1") is 1
  EXPECT_TRUE(is_valid_ip("1.2.3.1_0"));
  EXPECT_FALSE(is_valid_ip("0.2.3.4"));
  EXPECT_FALSE(is_valid_ip("1.2.3.0"));
  EXPECT_FALSE(is_valid_ip("1.2.3.256"));
  EXPECT_FALSE(is_valid_ip("1.2.3"));
  EXPECT_FALSE(is_valid_ip("1.2.3.4.5"));
  EXPECT_FALSE(is_valid_ip("1.2.3.x"));
  EXPECT_FALSE(is_valid_ip("::1"));
  EXPECT_FALSE(is_valid_ip(""));
}

TEST(TaggingValidators, UriAndPathMatches) {
  using alcape::analysis::matches_full_uri;
  using alcape::analysis::matches_uri_path;
  EXPECT_TRUE(matches_full_uri("http://evil.ca/some/thing/bad.exe"));
  EXPECT_TRUE(matches_full_uri("ftp://1.2.3.4:21/"));
  EXPECT_TRUE(matches_full_uri("http://evil.ca/x\n"));  // Python's `$` matches before a final newline
  EXPECT_FALSE(matches_full_uri("http://evil.ca/a b"));
  EXPECT_FALSE(matches_full_uri("http://[::1]/"));
  EXPECT_FALSE(matches_full_uri("evil.ca/x"));
  EXPECT_TRUE(matches_uri_path("/x"));
  EXPECT_TRUE(matches_uri_path("?q"));
  EXPECT_TRUE(matches_uri_path("/ anything"));
  EXPECT_FALSE(matches_uri_path("x/"));
}

TEST(TaggingValidateTag, SyntheticSamplesObservations) {
  // signature-marks-zoo: an `hxxp://` URL is tagged as a URI as it is (any scheme passes FULL_URI).
  Section s("x");
  EXPECT_TRUE(add_tag(s, "network.dynamic.uri", Value("hxxp://malware-drop.example.org/payload.bin")));
  EXPECT_EQ(tags_of(s)["network.dynamic.uri"], (std::vector<Value>{Value("hxxp://malware-drop.example.org/payload.bin")}));
  // http-web-traffic: {"IP": "192.0.2.99:4444 (synchelper.exe)"} gives an ip tag and the port as a string.
  Section m("m");
  EXPECT_TRUE(add_tag(m, "network.dynamic.ip", Value("192.0.2.99")));
  EXPECT_TRUE(add_tag(m, "network.port", Value("4444")));
  EXPECT_EQ(tags_of(m), (TagMap{{"network.dynamic.ip", {Value("192.0.2.99")}}, {"network.port", {Value("4444")}}}));
  // suspicious_request without a Host line: not a URI, so file.string.extracted.
  Section r("r");
  EXPECT_TRUE(add_tag(r, "network.dynamic.uri", Value("GET http://203.0.113.45/gate.php HTTP/1.1")));
  EXPECT_EQ(tags_of(r), (TagMap{{"file.string.extracted", {Value("GET http://203.0.113.45/gate.php HTTP/1.1")}}}));
}
