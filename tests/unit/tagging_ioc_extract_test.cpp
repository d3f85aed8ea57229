// extract_iocs_from_text_blob cases of assemblyline-service-utilities test/test_dynamic_service_helper.py,
// multidecoder v1.6.26 tests/test_decoders/test_network.py (find_ips / find_domains / find_urls), the
// observations of the synthetic samples' README, and edge cases.
#include "analysis/tagging/ioc_extract.hpp"

#include "json/pydump.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

using alcape::analysis::extract_iocs_from_text_blob;
using alcape::analysis::find_domains;
using alcape::analysis::find_ips;
using alcape::analysis::find_urls;
using alcape::analysis::IocExtractOptions;
using alcape::analysis::Safelist;
using alcape::analysis::SafelistData;
using alcape::json::Value;
using alcape::result::BodyFormat;
using alcape::result::Section;

namespace {

using Strings = std::vector<std::string>;
using TagMap = std::map<std::string, Strings>;

TagMap tags_of(const Section& s) {
  TagMap m;
  for (const auto& [t, vals] : s.tags.entries())
    for (const auto& v : vals) m[t].push_back(v.get<std::string>());
  return m;
}

struct Hunt {
  Section table{"IOCs", BodyFormat::Table};
  Strings uris;  // on_uri calls, sorted like the reference sorts the signature attributes
};

Hunt hunt(const std::string& blob, bool enforce_min = false, bool enforce_max = false, const Safelist* sl = nullptr,
          bool is_static = false) {
  Hunt h;
  IocExtractOptions o;
  o.enforce_char_min = enforce_min;
  o.enforce_domain_char_max = enforce_max;
  o.safelist = sl;
  o.is_network_static = is_static;
  o.on_uri = [&](const std::string& u) { h.uris.push_back(u); };
  extract_iocs_from_text_blob(blob, h.table, o);
  std::sort(h.uris.begin(), h.uris.end());
  return h;
}

const Safelist& adobe_safelist() {
  static const Safelist sl(SafelistData::from_yaml(R"(regex: {network.dynamic.domain: ['.+\.adobe\.com$']})"));
  return sl;
}

struct Case {
  std::string blob;
  bool min, max;
  TagMap tags;
  Strings uris;
};

}  // namespace

TEST(TaggingIocExtract, ReferenceCases) {
  const std::vector<Case> cases = {
      {"", false, false, {}, {}},
      {"192.168.100.1", false, false, {{"network.dynamic.ip", {"192.168.100.1"}}}, {}},
      {"blah.ca", false, false, {{"network.dynamic.domain", {"blah.ca"}}}, {}},
      {"https://blah.ca", false, false,
       {{"network.dynamic.domain", {"blah.ca"}}, {"network.dynamic.uri", {"https://blah.ca"}}}, {"https://blah.ca"}},
      {"https://blah.ca/blah", false, false,
       {{"network.dynamic.domain", {"blah.ca"}},
        {"network.dynamic.uri", {"https://blah.ca/blah"}},
        {"network.dynamic.uri_path", {"/blah"}}},
       {"https://blah.ca/blah"}},
      {"drive:\\\\path to\\\\microsoft office\\\\officeverion\\\\winword.exe", false, false, {}, {}},
      {"DRIVE:\\\\PATH TO\\\\MICROSOFT OFFICE\\\\OFFICEVERION\\\\WINWORD.EXE C:\\\\USERS\\\\BUDDY\\\\APPDATA\\\\LOCAL\\\\TEMP\\\\BLAH.DOC",
       false, false, {}, {}},
      {"DRIVE:\\\\PATH TO\\\\PYTHON27.EXE C:\\\\USERS\\\\BUDDY\\\\APPDATA\\\\LOCAL\\\\TEMP\\\\BLAH.py", false, false, {}, {}},
      {"POST /some/thing/bad.exe HTTP/1.0\nUser-Agent: Mozilla\nHost: evil.ca\nAccept: */*\nContent-Type: "
       "application/octet-stream\nContent-Encoding: binary\n\nConnection: close",
       false, false, {{"network.dynamic.domain", {"evil.ca"}}}, {}},
      {"http://evil.ca/some/thing/bad.exe", false, false,
       {{"network.dynamic.domain", {"evil.ca"}},
        {"network.dynamic.uri", {"http://evil.ca/some/thing/bad.exe"}},
        {"network.dynamic.uri_path", {"/some/thing/bad.exe"}}},
       {"http://evil.ca/some/thing/bad.exe"}},
      {"POST abc.de#fgh", true, false, {}, {}},
      {"'<script src=\"https://blah.link/blah/blah?filename=blah.js\"></script>'", true, false,
       {{"network.dynamic.domain", {"blah.link"}},
        {"network.dynamic.uri", {"https://blah.link/blah/blah?filename=blah.js"}},
        {"network.dynamic.uri_path", {"/blah/blah?filename=blah.js"}}},
       {"https://blah.link/blah/blah?filename=blah.js"}},
      {"POST abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcde.abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyza"
       "bcdefghijk.abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk.abcdefghijklmnopqrstuvwxyzabcdefghijklmnop"
       "qrstuvwxyzabcdefghijk.com ...(Truncated)",
       true, true, {}, {}},
      {"POST blah.adobe.com)", true, true, {}, {}},
      {"Wscript.Shell.Run(blah.py)", true, true, {}, {}},
      {"blah microsoft.net blah", true, true, {}, {}},
      {"blah blahhttps://microsoft.net blah", true, true,
       {{"network.dynamic.domain", {"microsoft.net"}}, {"network.dynamic.uri", {"https://microsoft.net"}}},
       {"https://microsoft.net"}},
      {"HTTP://EVIL.CA/SOME/THING/BAD.EXE", false, false,
       {{"network.dynamic.domain", {"EVIL.CA"}},
        {"network.dynamic.uri", {"HTTP://EVIL.CA/SOME/THING/BAD.EXE"}},
        {"network.dynamic.uri_path", {"/SOME/THING/BAD.EXE"}}},
       {"HTTP://EVIL.CA/SOME/THING/BAD.EXE"}},
      {"POST /SOME/THING/BAD.EXE HTTP/1.0\nUser-Agent: Mozilla\nHost: EVIL.CA\nAccept: */*\nContent-Type: "
       "application/octet-stream\nContent-Encoding: binary\n\nConnection: close",
       false, false, {{"network.dynamic.domain", {"EVIL.CA"}}}, {}},
      {"for i in https://bad2.com/blah,https://bad1.com/blah,https://bad3.com/blah do get", false, false,
       {{"network.dynamic.domain", {"bad1.com", "bad2.com", "bad3.com"}},
        {"network.dynamic.uri", {"https://bad1.com/blah", "https://bad2.com/blah", "https://bad3.com/blah"}},
        {"network.dynamic.uri_path", {"/blah"}}},
       {"https://bad1.com/blah", "https://bad2.com/blah", "https://bad3.com/blah"}},
      {"blah https://microsoft.net/ blah", true, true,
       {{"network.dynamic.domain", {"microsoft.net"}},
        {"network.dynamic.uri", {"https://microsoft.net/"}},
        {"network.dynamic.uri_path", {"/"}}},
       {"https://microsoft.net/"}},
  };
  for (const auto& c : cases) {
    Hunt h = hunt(c.blob, c.min, c.max, &adobe_safelist());
    EXPECT_EQ(tags_of(h.table), c.tags) << c.blob;
    EXPECT_EQ(h.uris, c.uris) << c.blob;
  }
}

TEST(TaggingIocExtract, TlsClientHelloByteStrings) {
  // "\x0dblah.com": escaped bytes become commas before the domain search.
  const std::string blob =
      "\\x16\\x03\\x03\\x00\\xaa\\x01\\x00\\x00\\xa6\\x03\\x03d\\xc7\\xcaRN\\xd5\\xbe\\x87\\\\xb3G%\\xb8'}.\\xbc\\xcf"
      "\\x00\\x12\\x00\\x10\\x00\\x00\\x0dblah.com\\x00 \\x00\\x08\\x00\\x06\\x00\\x1d\\x00\\x17";
  Hunt h = hunt(blob, false, false, &adobe_safelist());
  EXPECT_EQ(tags_of(h.table), (TagMap{{"network.dynamic.domain", {"blah.com"}}}));
}

TEST(TaggingIocExtract, RowsSortedDeduplicatedAndStatic) {
  Section table("IOCs", BodyFormat::Table);
  table.add_row(Value::object({{"ioc_type", "uri"}, {"ioc", "http://zzz.com/x"}}));
  IocExtractOptions o;
  o.is_network_static = true;
  extract_iocs_from_text_blob("go http://zzz.com/x and http://aaa.com/y 198.51.100.23", table, o);
  EXPECT_EQ(alcape::json::py_dumps(table.data),
            R"([{"ioc_type": "domain", "ioc": "aaa.com"}, {"ioc_type": "domain", "ioc": "zzz.com"}, )"
            R"({"ioc_type": "ip", "ioc": "198.51.100.23"}, {"ioc_type": "uri", "ioc": "http://aaa.com/y"}, )"
            R"({"ioc_type": "uri", "ioc": "http://zzz.com/x"}, {"ioc_type": "uri_path", "ioc": "/x"}, )"
            R"({"ioc_type": "uri_path", "ioc": "/y"}])");
  EXPECT_EQ(alcape::json::py_dumps(table.body_config), R"({"column_order": ["ioc_type", "ioc"]})");
  EXPECT_EQ(tags_of(table)["network.static.uri"], (Strings{"http://aaa.com/y", "http://zzz.com/x"}));
  EXPECT_FALSE(table.tags.has_type("network.dynamic.uri"));
}

TEST(TaggingIocExtract, SyntheticSamplesObservations) {
  // The IP finder takes an IP whose second part has one digit for a version number: all of 192.0.2.0/24 and
  // 203.0.113.0/24 are ignored, 198.51.100.0/24 is found.
  EXPECT_TRUE(find_ips("send 203.0.113.45 to 192.0.2.200").empty());
  EXPECT_EQ(find_ips("send 203.0.113.45 and 198.51.100.23"), (Strings{"198.51.100.23"}));
  EXPECT_TRUE(tags_of(hunt("POST / HTTP/1.1\r\nHost: 203.0.113.45\r\n").table).empty());
  // `.net` is a false-positive TLD unless the domain is the host of a URI in the same text.
  Hunt cfg = hunt("{\"C2\": [\"198.51.100.23\", \"cdn.static-assets.example.com\", \"orders.example-shop.example.net\"]}",
                  false, false, nullptr, true);
  EXPECT_EQ(tags_of(cfg.table), (TagMap{{"network.static.domain", {"cdn.static-assets.example.com"}},
                                        {"network.static.ip", {"198.51.100.23"}}}));
  EXPECT_TRUE(tags_of(hunt("signer update-check.example.net").table).empty());
  EXPECT_EQ(tags_of(hunt("see https://update-check.example.net/a").table)["network.dynamic.domain"],
            (Strings{"update-check.example.net"}));
  // example.com itself is skipped, its subdomains are not.
  EXPECT_EQ(tags_of(hunt("example.com www.example.com").table),
            (TagMap{{"network.dynamic.domain", {"www.example.com"}}}));
  // A domain from an e-mail address.
  EXPECT_EQ(find_domains("contact admin@example.org now"), (Strings{"example.org"}));
  // IPv6 addresses are never IOCs.
  EXPECT_TRUE(tags_of(hunt("dst 2001:db8:53::1 and fe80::1").table).empty());
  // An SRV name is not a valid domain.
  EXPECT_TRUE(tags_of(hunt("_ldap._tcp.dc._msdcs.example.com").table).empty());
}

TEST(TaggingIocExtract, SafelistAndSchemeRepair) {
  const Safelist sl(SafelistData::from_yaml(R"(
regex:
  network.dynamic.domain: ['.+\.microsoft\.com$']
  network.dynamic.ip: ['169\.254\.128\..*']
)"));
  Hunt h = hunt("x http://www.microsoft.com/a 169.254.128.44 junkhttp://evil.com/z", false, false, &sl);
  EXPECT_EQ(tags_of(h.table),
            (TagMap{{"network.dynamic.domain", {"evil.com"}},
                    {"network.dynamic.uri", {"http://evil.com/z", "http://www.microsoft.com/a"}},
                    {"network.dynamic.uri_path", {"/a", "/z"}}}));
  // A URI whose host is safelisted is still tagged (only the URI itself is checked against the safelist).
  EXPECT_EQ(h.uris, (Strings{"http://evil.com/z", "http://www.microsoft.com/a"}));
}

TEST(TaggingFindIps, MultidecoderCases) {
  EXPECT_EQ(find_ips("127.0.0.1"), (Strings{"127.0.0.1"}));
  EXPECT_EQ(find_ips("123.123.123.123"), (Strings{"123.123.123.123"}));
  EXPECT_EQ(find_ips("103.245.67.89"), (Strings{"103.245.67.89"}));
  EXPECT_EQ(find_ips("0177.0.0.01"), (Strings{"127.0.0.1"}));  // octal
  EXPECT_EQ(find_ips("00000000177.000.0.00000001"), (Strings{"127.0.0.1"}));
  EXPECT_EQ(find_ips("0x7f.0x0.0x0.0x1"), (Strings{"127.0.0.1"}));  // hex
  EXPECT_EQ(find_ips("0xac.000000000000000000331.0246.174"), (Strings{"172.217.166.174"}));
  for (const char* no : {"12.2.1.3.0", "1234.8.8.8", "8.1234.8.8", "8.8.1234.8", "8.8.8.1234", "123..123.123.123",
                         "123.123..123.123", "123.123.123..123", "123.123.123.", ".123.123.123", "a11.22.33.44",
                         "11.22.33.44x", "11.22.33.44=", "09.10.11.12"})
    EXPECT_TRUE(find_ips(no).empty()) << no;
  const std::vector<std::string> false_positives = {
      "<si><t>1.1.1.4</t></si>", std::string("ProductVersion\0" "4.0.0.1\0", 23), std::string("FileVersion\0" "4.0.0.1\0", 20),
      "Version=4.0.0.1", "0.0.0.0", std::string("Version\0\0" "12.3.0.1\0", 18), "Version = 4.0.0.1", "1.0.0.0", "1.0.0.255",
      "<a:t>  1.1.1.4 Section Title</a:t>", "section 1.1.1.4", "sec. 1.1.1.4", "1.1.8.35-g8f5559c",
      "version=\"1.2.0.58\"", "@(\"2.5.29.37={text}1.3.6.1.5.5.7.3.1\")",
      // The same contexts with IPs that pass the version-number test.
      "<si><t>11.11.11.4</t></si>", "Version=14.10.0.1", "section 11.11.11.4", "sec. 11.11.11.4", "<a:t> 11.11.11.4"};
  for (const auto& fp : false_positives) EXPECT_TRUE(find_ips(fp).empty()) << fp;
  EXPECT_EQ(find_ips("11.22.33.44 <t>"), (Strings{}));  // at position 0 the reference looks at the end of the text
  EXPECT_EQ(find_ips("Version: 14.10.0.1"), (Strings{"14.10.0.1"}));  // ':' is not a separator of the test
}

TEST(TaggingFindDomains, MultidecoderCases) {
  EXPECT_EQ(find_domains("example.com"), (Strings{"example.com"}));
  EXPECT_TRUE(find_domains("K.cA").empty());
  EXPECT_EQ(find_domains("mailto:example.com@cyber.gc.ca"), (Strings{"cyber.gc.ca"}));
  EXPECT_EQ(find_domains("https://e\r\n\txample.com/path"), (Strings{"example.com"}));
  EXPECT_EQ(find_domains("http://e\r\n\txample.com/path"), (Strings{"example.com"}));
  EXPECT_EQ(find_domains("&lt;a href=&quot;krakev.cc&quot;&gt;"), (Strings{"krakev.cc"}));
  EXPECT_EQ(find_domains("https % 3A % 2F % 2Fdoi.org % 2F "), (Strings{"doi.org"}));
  EXPECT_EQ(find_domains("https:*2F*2Fexample.org*2f"), (Strings{"example.org"}));
  EXPECT_EQ(find_domains("Firstname.Lastname=40example.com"), (Strings{"example.com"}));
  EXPECT_EQ(find_domains("username%2540example.com"), (Strings{"example.com"}));
  EXPECT_TRUE(find_domains(std::string("=\"\"http:\0//www.or\0acle.com\xe2/", 27)).empty());
  EXPECT_TRUE(find_domains("./example.com ").empty());
  EXPECT_EQ(find_domains("https://example.com/c9k5y4.zip"), (Strings{"example.com"}));
  EXPECT_TRUE(find_domains("/c9k5y4.zip").empty());
  // DOMAIN_RE matches and false positives.
  EXPECT_EQ(find_domains("www.google.com"), (Strings{"www.google.com"}));
  EXPECT_TRUE(find_domains("xn--bcher-kva.example").empty());  // matched, but EXAMPLE is not in the TLD list
  EXPECT_EQ(find_domains("some.website.xn--4gbrim"), (Strings{"some.website.xn--4gbrim"}));
  EXPECT_EQ(find_domains("config.edge.skype.com0"), (Strings{"config.edge.skype.com"}));
  for (const char* no : {"C:\\path\\looks-like-a-domain.com", "C:\\path\\looks.like.a.domain.com", "date.today()",
                         "domain.com-", "variable.page_load", "fi.search=\"", "variable.call(", "Microsoft.Win32",
                         "delete.me@", "example.notatld", "-example.com", "example-.com"})
    EXPECT_TRUE(find_domains(no).empty()) << no;
  for (const char* fp : {"WScript.Shell", "ADODB.stream", "SET.NAME", "WshShell.run", "this.name", "Array.prototype.map",
                         "CompIterator.prototype.next", "String.prototype.at", "libm.so", "host.name", "readme.md",
                         "compile.sh", "microsoft.powershell.security", "oft.com", "arepoint.com", "utlook.com",
                         "login.microsoft", "COM.INFO", "bbbbb-bbbbbbbbbbbxbbbbbobbbbbrbb.bb", "i-r.top", "update.zip",
                         "Worksheet.Name", "mail.CC", "Subdomain.Domain.Com"})
    EXPECT_TRUE(find_domains(fp).empty()) << fp;
  for (const char* ok : {"microsoft.com", "MICROSOFT.COM", "outlook.com", "Subdomain.Domain.com"})
    EXPECT_EQ(find_domains(ok), (Strings{ok})) << ok;
  // "passagensabogado": multidecoder's reliable-TLD list joins two entries, so neither is reliable.
  EXPECT_TRUE(find_domains("download.abogado").empty());
  EXPECT_EQ(find_domains("download.com"), (Strings{"download.com"}));
}

TEST(TaggingFindUrls, MultidecoderCases) {
  EXPECT_EQ(find_urls(" https://example.com/path'),.;still_url "), (Strings{"https://example.com/path'),.;still_url"}));
  EXPECT_EQ(find_urls("                              'https://example.com/path'after_the_url"),
            (Strings{"https://example.com/path"}));
  EXPECT_EQ(find_urls("https://example.com/path'still_the_url'"), (Strings{"https://example.com/path'still_the_url"}));
  EXPECT_EQ(find_urls("'https://example.com"), (Strings{"https://example.com"}));
  EXPECT_EQ(find_urls("                    \x13https://example.com0thisisaftertheendoftheurl"),
            (Strings{"https://example.com"}));  // a Pascal string: the length byte cuts the URL
  EXPECT_EQ(find_urls("<a href=\"https://journal.com/Canadian Centre for Cyber Security/My Great Article.docx\">Click Here</a>"),
            (Strings{"https://journal.com/Canadian%20Centre%20for%20Cyber%20Security/My%20Great%20Article.docx"}));
  EXPECT_EQ(find_urls("function('https://example.com/'){script;}"), (Strings{"https://example.com/"}));
  EXPECT_EQ(find_urls("full sentence with a url https://example.com/."), (Strings{"https://example.com/"}));
  EXPECT_EQ(find_urls("barefunction(https://example.com) works"), (Strings{"https://example.com"}));
  EXPECT_EQ(find_urls("x (http://evil.com/a)b"), (Strings{"http://evil.com/a"}));
  EXPECT_EQ(find_urls("HTTP://EVIL.COM/%7e%2f"), (Strings{"HTTP://EVIL.COM/~%2F"}));
  EXPECT_EQ(find_urls("http://127.1"), (Strings{"http://127.1"}));
  EXPECT_EQ(find_urls("http://2130706433/"), (Strings{"http://2130706433/"}));
  EXPECT_EQ(find_urls("ftp://[2001:db8::7]/x"), (Strings{"ftp://[2001:db8::7]/x"}));
  EXPECT_EQ(find_urls("https://john.doe@www.example.com:123/forum/questions/?tag=networking&order=newest#top"),
            (Strings{"https://john.doe@www.example.com:123/forum/questions/?tag=networking&order=newest#top"}));
  // Matched by URL_RE but not http/https/ftp, or with a bad port or host: not URLs.
  for (const char* no : {"udp://tracker.opentrackr.org:1337/announce", "socks5://proxy.example.com", "ws://www.example.com",
                         "tftp://example.com", "http://example.notatld/"})
    EXPECT_TRUE(find_urls(no).empty()) << no;
  EXPECT_EQ(find_urls("http://example.com:99999/"), (Strings{"http://example.com:9999"}));  // the port takes 4 digits
  // The reference raises ValueError on these (urlsplit: unbalanced or invalid brackets); here they are no URLs.
  EXPECT_TRUE(find_urls("http://%5B%3A%3A1]").empty());
  EXPECT_TRUE(find_urls("http://[1:2]/").empty());
}

// URL_RE takes at most 253 host characters: a longer host is cut there, and what was cut off is not part of the
// URL even when it would make a longer valid-looking one.
TEST(TaggingFindUrls, HostIsCutAt253Characters) {
  const std::string host = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                           std::string(57, 'd') + ".com";
  ASSERT_EQ(host.size(), 253u);
  EXPECT_EQ(find_urls("see http://" + host + "m.example/path here"), (Strings{"http://" + host}));
  EXPECT_EQ(find_urls("see http://" + host + "/path here"), (Strings{"http://" + host + "/path"}));
}

TEST(TaggingIocExtract, EdgeCasesNeverCrash) {
  EXPECT_TRUE(find_ips("").empty());
  EXPECT_TRUE(find_domains("").empty());
  EXPECT_TRUE(find_urls("").empty());
  const std::string junk = "\xff\xfe http://\xc3\x28.com/\xe2\x82 1\xff.2.3.4 evil.com\xff http://ok.com/\xf0\x9f";
  Hunt h = hunt(junk);
  EXPECT_EQ(tags_of(h.table)["network.dynamic.uri"], (Strings{"http://ok.com/"}));
  std::string nul_text("a\0b 198.51.100.23\0http://x.com/\0", 33);
  EXPECT_EQ(find_ips(nul_text), (Strings{"198.51.100.23"}));
  for (const std::string& odd : {std::string("."), std::string("..."), std::string("0x"), std::string("http://"),
                                 std::string("\\x"), std::string("\\x0"), std::string("1.2.3."), std::string("a.")})
    EXPECT_NO_THROW(hunt(odd)) << odd;
}

TEST(TaggingIocExtract, LargeTextIsLinear) {
  std::string big;
  for (int i = 0; big.size() < 2'000'000; ++i)
    big += "word " + std::to_string(i) + ".5 a.b.c.d.e.f.g " + std::string(200, 'x') + " -a-a-a.0x1.2.3 ";
  big += " 198.51.100.23 http://tail.example.com/end";
  auto t0 = std::chrono::steady_clock::now();
  Hunt h = hunt(big, true, true);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(tags_of(h.table)["network.dynamic.ip"], (Strings{"198.51.100.23"}));
  EXPECT_EQ(tags_of(h.table)["network.dynamic.uri"], (Strings{"http://tail.example.com/end"}));
  EXPECT_LT(ms, 2000) << "2 MB took " << ms << " ms";
}
