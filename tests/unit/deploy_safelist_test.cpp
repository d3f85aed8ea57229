// deploy/system_safelist.yaml, the tag safelist al-cape suggests for CAPE deployments: it loads, every tag type
// and pattern is valid, it safelists the sandbox's own noise and not what a sample does, and its INetSim range
// agrees with al-cape's random_ip_range default and with inetsim/conf/random-dns.conf.
#include "analysis/params.hpp"
#include "analysis/tagging/safelist.hpp"
#include "data/embedded.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>

namespace {

using alcape::analysis::ParserParams;
using alcape::analysis::Safelist;
using alcape::analysis::SafelistData;

std::filesystem::path repo_root() { return std::filesystem::path(ALCAPE_TEST_DATA).parent_path().parent_path(); }
std::filesystem::path deploy_safelist_path() { return repo_root() / "deploy" / "system_safelist.yaml"; }

SafelistData load_data() {
  const std::string text = alcape::testing::read_file(deploy_safelist_path());
  EXPECT_FALSE(text.empty()) << "cannot read " << deploy_safelist_path();
  return SafelistData::from_yaml(text);
}

const Safelist& deploy_safelist() {
  static const Safelist safelist(load_data());
  return safelist;
}

bool safelisted(std::string_view value, std::string_view tag_type) {
  return deploy_safelist().is_tag_safelisted(value, tag_type);
}

// "a.b.c.d/24" -> {"a.b.c.0", "a.b.c.255", "a.b.(c-1).255", "a.b.(c+1).0"}: both ends and the neighbours outside.
struct Slash24 {
  std::string first, last, below, above;
};
Slash24 slash24_of(const std::string& cidr) {
  int a = 0, b = 0, c = 0, d = 0, prefix = 0;
  char dot1 = 0, dot2 = 0, dot3 = 0, slash = 0;
  std::istringstream in(cidr);
  in >> a >> dot1 >> b >> dot2 >> c >> dot3 >> d >> slash >> prefix;
  EXPECT_TRUE(in && dot1 == '.' && slash == '/' && prefix == 24 && d == 0) << "expected a /24, got " << cidr;
  const std::string ab = std::to_string(a) + "." + std::to_string(b) + ".";
  return {ab + std::to_string(c) + ".0", ab + std::to_string(c) + ".255", ab + std::to_string(c - 1) + ".255",
          ab + std::to_string(c + 1) + ".0"};
}

}  // namespace

TEST(DeploySafelist, LoadsWithMatchAndRegexSections) {
  const SafelistData data = load_data();
  // Assemblyline's tag_safelist PUT API rejects a file without both sections
  EXPECT_FALSE(data.match.empty());
  EXPECT_FALSE(data.regex.empty());
  EXPECT_TRUE(data.regex.count("network.dynamic.ip"));
  EXPECT_TRUE(data.regex.count("network.dynamic.domain"));
  EXPECT_TRUE(data.regex.count("dynamic.process.command_line"));
}

TEST(DeploySafelist, EveryTagTypeIsAnAssemblylineTag) {
  std::set<std::string> known;
  std::istringstream names{std::string(alcape::data::file("al_tag_names.txt"))};
  for (std::string line; std::getline(names, line);) known.insert(line.substr(0, line.find('\t')));
  const SafelistData data = load_data();
  for (const auto* section : {&data.match, &data.regex})
    for (const auto& [tag_type, values] : *section) {
      EXPECT_TRUE(known.count(tag_type)) << tag_type << " is not an Assemblyline tag type";
      EXPECT_FALSE(values.empty()) << tag_type;
    }
}

TEST(DeploySafelist, EveryPatternCompilesWithRe2) {
  for (const auto& [tag_type, patterns] : load_data().regex)
    for (const auto& pattern : patterns) {
      const re2::RE2 re(pattern, re2::RE2::Quiet);
      EXPECT_TRUE(re.ok()) << tag_type << ": " << pattern << ": " << re.error();
    }
  const auto& invalid = deploy_safelist().invalid_patterns();
  EXPECT_TRUE(invalid.empty()) << invalid.front();
}

TEST(DeploySafelist, SafelistsSandboxNoise) {
  EXPECT_TRUE(safelisted("239.255.255.250", "network.dynamic.ip"));           // SSDP
  EXPECT_TRUE(safelisted("169.254.169.254", "network.dynamic.ip"));           // cloud metadata
  EXPECT_TRUE(safelisted("www.msftconnecttest.com", "network.dynamic.domain"));
  EXPECT_TRUE(safelisted("ctldl.windowsupdate.com", "network.dynamic.domain"));
  EXPECT_TRUE(safelisted("www.inetsim.org", "network.dynamic.domain"));       // INetSim's default PTR answer
  EXPECT_TRUE(safelisted("5.2.0.192.in-addr.arpa", "network.dynamic.domain"));
  EXPECT_TRUE(safelisted("crl3.digicert.com", "network.dynamic.domain"));
  EXPECT_TRUE(safelisted("http://www.msftconnecttest.com/connecttest.txt", "network.dynamic.uri"));
  EXPECT_TRUE(safelisted("http://wpad.localdomain/wpad.dat", "network.dynamic.uri"));
  EXPECT_TRUE(safelisted("C:\\Windows\\System32\\lsass.exe", "dynamic.process.file_name"));
  EXPECT_TRUE(safelisted("c:\\windows\\system32\\LSASS.EXE", "dynamic.process.file_name"));
  EXPECT_TRUE(safelisted("C:\\tmpq3v9xk\\bin\\inject-x64.exe", "dynamic.process.file_name"));  // CAPE analyzer
  EXPECT_TRUE(safelisted("C:\\Windows\\system32\\WerFault.exe -u -p 4242 -s 512", "dynamic.process.command_line"));
  EXPECT_TRUE(safelisted("C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
                         "dynamic.process.command_line"));
  EXPECT_TRUE(safelisted("C:\\Users\\analyst\\Desktop\\desktop.ini", "file.path"));
  EXPECT_TRUE(safelisted("C:\\Users\\analyst\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\77EC63BDA74B",
                         "file.path"));
}

TEST(DeploySafelist, LeavesWhatASampleDoesTagged) {
  EXPECT_FALSE(safelisted("8.8.8.8", "network.dynamic.ip"));                  // public resolver: deliberately kept
  EXPECT_FALSE(safelisted("45.77.12.9", "network.dynamic.ip"));
  EXPECT_FALSE(safelisted("evil-windowsupdate.com", "network.dynamic.domain"));
  EXPECT_FALSE(safelisted("windowsupdate.com.evil.example", "network.dynamic.domain"));
  EXPECT_FALSE(safelisted("payload.blob.core.windows.net", "network.dynamic.domain"));  // anyone can publish there
  EXPECT_FALSE(safelisted("cdn.jsdelivr.net", "network.dynamic.domain"));
  EXPECT_FALSE(safelisted("view.officeapps.live.com", "network.dynamic.domain"));
  EXPECT_FALSE(safelisted("http://crl3.digicert.com.evil.example/a.crl", "network.dynamic.uri"));
  EXPECT_FALSE(safelisted("C:\\Users\\bob\\AppData\\Local\\Temp\\lsass.exe", "dynamic.process.file_name"));
  EXPECT_FALSE(safelisted("C:\\Windows\\System32\\WmiPrvSE.exe", "dynamic.process.file_name"));
  EXPECT_FALSE(safelisted("C:\\Windows\\system32\\dllhost.exe /Processid:{3E5FC7F9-9A51-4367-9063-A120244FBEC7}",
                          "dynamic.process.command_line"));  // COM elevation (UAC bypass) runs exactly this
  EXPECT_FALSE(safelisted("C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule & evil.exe",
                          "dynamic.process.command_line"));
  EXPECT_FALSE(safelisted("C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm", "file.path"));
  EXPECT_FALSE(safelisted("C:\\Users\\bob\\AppData\\Local\\Temp\\invoice.exe", "file.path"));
}

// The INetSim range in the safelist is al-cape's random_ip_range default, to the address: both ends in, the
// neighbours out.
TEST(DeploySafelist, InetsimRangeIsAlcapeRandomIpRange) {
  const Slash24 range = slash24_of(ParserParams{}.random_ip_range);
  EXPECT_TRUE(safelisted(range.first, "network.dynamic.ip")) << range.first;
  EXPECT_TRUE(safelisted(range.last, "network.dynamic.ip")) << range.last;
  EXPECT_FALSE(safelisted(range.below, "network.dynamic.ip")) << range.below;
  EXPECT_FALSE(safelisted(range.above, "network.dynamic.ip")) << range.above;
}

// The example in INetSim's configuration fragment is the same CIDR string as al-cape's default.
TEST(DeploySafelist, InetsimFragmentUsesAlcapeDefaultRange) {
  const std::string conf = alcape::testing::read_file(repo_root() / "inetsim" / "conf" / "random-dns.conf");
  ASSERT_FALSE(conf.empty());
  EXPECT_NE(conf.find("#dns_random_range " + ParserParams{}.random_ip_range + "\n"), std::string::npos);
}
