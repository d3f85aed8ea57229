#include "planning/file_naming.hpp"

#include <gtest/gtest.h>

namespace alcape::planning {
namespace {

TEST(PlanningNaming, MimeEncodedNamesAreDecoded) {
  EXPECT_EQ(decode_mime_encoded_name("=?utf-8?B?aW52b2ljZS5leGU=?="), "invoice.exe");
  EXPECT_EQ(decode_mime_encoded_name("=?UTF-8?Q?r=C3=A9sum=C3=A9_2.pdf?="), "r\xC3\xA9sum\xC3\xA9 2.pdf");
  EXPECT_EQ(decode_mime_encoded_name("=?iso-8859-1?Q?caf=E9.doc?="), "caf\xC3\xA9.doc");
  EXPECT_EQ(decode_mime_encoded_name("=?utf-8?B?YWJj?= =?utf-8?B?LmpzCg==?="), "abc.js\n");
  EXPECT_FALSE(decode_mime_encoded_name("plain.exe").has_value());
  EXPECT_FALSE(decode_mime_encoded_name("=?utf-8?X?abc?=").has_value());
  EXPECT_FALSE(decode_mime_encoded_name("=?koi8-r?B?YWJj?=").has_value());
  EXPECT_FALSE(decode_mime_encoded_name("=?utf-8?Q?bad=Z?=").has_value());
}

TEST(PlanningNaming, IllegalCharactersAndLeadingSpaceRemoved) {
  EXPECT_EQ(remove_illegal_characters("  a<b>c:d\"e/f\\g|h?i*j.exe"), "abcdefghij.exe");
  EXPECT_EQ(remove_illegal_characters("x\x01y.bat"), "xy.bat");
  EXPECT_EQ(remove_illegal_characters("   "), "");
}

TEST(PlanningNaming, ExtensionTable) {
  EXPECT_EQ(extension_for_type("executable/windows/pe32"), ".exe");
  EXPECT_EQ(extension_for_type("executable/windows/dll64"), ".dll");
  EXPECT_EQ(extension_for_type("code/batch"), ".bat");
  EXPECT_EQ(extension_for_type("archive/7-zip"), ".7z");
  EXPECT_EQ(extension_for_type("document/office/wordpro"), ".lwp");  // dot added to the table's "lwp"
  EXPECT_FALSE(extension_for_type("text/plain").has_value());
  EXPECT_TRUE(is_supported_extension("ps1"));
  EXPECT_FALSE(is_supported_extension("PS1"));
  EXPECT_FALSE(is_supported_extension("txt"));
  EXPECT_FALSE(is_supported_extension(""));
}

TEST(PlanningNaming, TypeExtensionReplacesTheNamesExtension) {
  auto n = submission_file_name("dir/bits.ps1", "code/batch");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->name, "bits.bat");
  EXPECT_TRUE(n->renamed);
  auto same = submission_file_name("a.exe", "executable/windows/pe32");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->name, "a.exe");
  EXPECT_FALSE(same->renamed);
  auto added = submission_file_name("sample", "executable/windows/pe64");
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->name, "sample.exe");
}

TEST(PlanningNaming, UnknownTypesKeepASupportedExtension) {
  auto n = submission_file_name("x.hta", "unknown");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->name, "x.hta");
  // "document/office/unknown" has a table entry but "unknown" types never use it.
  auto o = submission_file_name("y.docm", "document/office/unknown");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->name, "y.docm");
}

TEST(PlanningNaming, NotSubmittableHasAReason) {
  auto n = submission_file_name("notes.txt", "text/plain");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(n.error().message.find(".txt"), std::string::npos);
  EXPECT_NE(n.error().context.find("notes.txt"), std::string::npos);
  auto bare = submission_file_name("README", "text/plain");
  ASSERT_FALSE(bare.ok());
  EXPECT_NE(bare.error().message.find("has none"), std::string::npos);
}

TEST(PlanningNaming, MimeNameThenIllegalCharactersThenExtension) {
  auto n = submission_file_name("=?utf-8?B?PGJhZD4uZXhl?=", "executable/windows/pe32");  // "<bad>.exe"
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->name, "bad.exe");
  auto broken = submission_file_name("=?utf-8?B?!!!?=", "executable/windows/pe32");
  ASSERT_TRUE(broken.ok());
  EXPECT_EQ(broken->name, "sample.exe");
  auto empty_stem = submission_file_name("???", "code/ps1");
  ASSERT_TRUE(empty_stem.ok());
  EXPECT_EQ(empty_stem->name, "sample.ps1");
}

}  // namespace
}  // namespace alcape::planning
