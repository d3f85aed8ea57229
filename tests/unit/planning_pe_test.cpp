#include "planning/dll_exports.hpp"
#include "planning/file_type.hpp"
#include "planning/pe.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace alcape::planning {
namespace {

void put16(std::vector<uint8_t>& b, size_t off, uint16_t v) {
  b[off] = v & 0xff;
  b[off + 1] = v >> 8;
}
void put32(std::vector<uint8_t>& b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = (v >> (8 * i)) & 0xff;
}

// A minimal PE: one section ".edata" at RVA 0x1000 (file offset 0x200) holding an export directory.
std::vector<uint8_t> make_pe(bool pe64, bool dll, const std::vector<std::string>& names, uint32_t n_functions = 0,
                             bool with_exports = true) {
  std::vector<uint8_t> b(0x1000, 0);
  b[0] = 'M';
  b[1] = 'Z';
  const size_t nt = 0x80;
  put32(b, 0x3c, nt);
  std::memcpy(&b[nt], "PE\0\0", 4);
  put16(b, nt + 4, pe64 ? 0x8664 : 0x14c);
  put16(b, nt + 6, 1);
  const uint16_t opt_size = pe64 ? 240 : 224;
  put16(b, nt + 20, opt_size);
  put16(b, nt + 22, dll ? 0x2102 : 0x0102);
  const size_t opt = nt + 24;
  put16(b, opt, pe64 ? 0x20b : 0x10b);
  put32(b, opt + (pe64 ? 108 : 92), 16);
  const size_t dirs = opt + (pe64 ? 112 : 96);
  if (with_exports) {
    put32(b, dirs, 0x1000);
    put32(b, dirs + 4, 0x100);
  }
  const size_t sec = opt + opt_size;
  std::memcpy(&b[sec], ".edata", 6);
  put32(b, sec + 8, 0xe00);    // virtual size
  put32(b, sec + 12, 0x1000);  // VA
  put32(b, sec + 16, 0xe00);   // raw size
  put32(b, sec + 20, 0x200);   // raw pointer
  // Export directory at file 0x200 (RVA 0x1000); tables after it.
  const size_t ed = 0x200;
  if (n_functions == 0) n_functions = static_cast<uint32_t>(names.size());
  put32(b, ed + 16, 1);  // ordinal base
  put32(b, ed + 20, n_functions);
  put32(b, ed + 24, static_cast<uint32_t>(names.size()));
  const uint32_t functions_rva = 0x1040, names_rva = 0x1200, ordinals_rva = 0x1300, strings_rva = 0x1400;
  put32(b, ed + 28, functions_rva);
  put32(b, ed + 32, names_rva);
  put32(b, ed + 36, ordinals_rva);
  for (uint32_t i = 0; i < n_functions; ++i) put32(b, functions_rva - 0xe00 + 4 * i, 0x2000 + i);
  uint32_t str = strings_rva;
  for (size_t i = 0; i < names.size(); ++i) {
    put32(b, names_rva - 0xe00 + 4 * i, str);
    put16(b, ordinals_rva - 0xe00 + 2 * i, static_cast<uint16_t>(i));
    std::memcpy(&b[str - 0xe00], names[i].c_str(), names[i].size() + 1);
    str += static_cast<uint32_t>(names[i].size() + 1);
  }
  return b;
}

TEST(PlanningPe, HeaderFacts) {
  auto pe = parse_pe(make_pe(true, true, {"Run"}));
  ASSERT_TRUE(pe.has_value());
  EXPECT_TRUE(pe->pe64);
  EXPECT_TRUE(pe->dll);
  EXPECT_EQ(pe->machine, 0x8664);
  auto exe = parse_pe(make_pe(false, false, {}, 0, false));
  ASSERT_TRUE(exe.has_value());
  EXPECT_FALSE(exe->pe64);
  EXPECT_FALSE(exe->dll);
  EXPECT_FALSE(exe->has_export_directory);
}

TEST(PlanningPe, ExportsNamedThenByOrdinal) {
  auto pe = parse_pe(make_pe(false, true, {"Alpha", "Beta"}, 4));
  ASSERT_TRUE(pe.has_value());
  ASSERT_TRUE(pe->has_export_directory);
  EXPECT_EQ(pe->exports, (std::vector<std::string>{"Alpha", "Beta", "#3", "#4"}));
}

TEST(PlanningPe, HostileBytesNeverReadOutOfBounds) {
  EXPECT_FALSE(parse_pe(std::vector<uint8_t>{'M', 'Z'}).has_value());
  auto b = make_pe(false, true, {"A"});
  put32(b, 0x3c, 0xfffffff0);  // e_lfanew beyond the file
  EXPECT_FALSE(parse_pe(b).has_value());
  auto c = make_pe(false, true, {"A", "B"});
  put32(c, 0x200 + 24, 0x7fffffff);  // absurd name count: bounded, truncated at the buffer end
  put32(c, 0x200 + 20, 0x7fffffff);
  auto pe = parse_pe(c);
  ASSERT_TRUE(pe.has_value());
  EXPECT_LE(pe->exports.size(), 65536u * 2);
  auto d = make_pe(false, true, {"A"});
  put32(d, 0x200 + 32, 0xdeadbeef);  // names table outside every section
  auto pd = parse_pe(d);
  ASSERT_TRUE(pd.has_value());
  EXPECT_EQ(pd->exports, std::vector<std::string>{"#1"});
  // Truncations at every length never crash.
  auto full = make_pe(true, true, {"Alpha", "Beta"});
  for (size_t n = 0; n < full.size(); n += 7) parse_pe(std::span<const uint8_t>(full.data(), n));
}

TEST(PlanningDllExports, FallbackWithoutExports) {
  auto sel = select_dll_exports(std::nullopt, 5);
  EXPECT_EQ(sel.executed, (std::vector<std::string>{"DllMain", "DllRegisterServer"}));
  EXPECT_TRUE(sel.others.empty());
  EXPECT_TRUE(sel.show_section);
  EXPECT_EQ(dll_exports_section_lines(sel),
            std::vector<std::string>{"The following exports were executed: DllMain, DllRegisterServer"});
  PeInfo empty;
  empty.has_export_directory = true;
  EXPECT_EQ(select_dll_exports(empty, 5).executed.size(), 2u);
}

TEST(PlanningDllExports, FewExportsAllRun) {
  PeInfo pe;
  pe.has_export_directory = true;
  pe.exports = {"a", "b", "c"};
  auto sel = select_dll_exports(pe, 5);
  EXPECT_EQ(sel.executed, pe.exports);
}

TEST(PlanningDllExports, ManyExportsPrioritised) {
  PeInfo pe;
  pe.has_export_directory = true;
  pe.exports = {"StartW", "StartA", "StopW", "StopA", "Zq9", "InstallW", "EndW"};
  auto sel = select_dll_exports(pe, 5);
  ASSERT_EQ(sel.executed.size(), 5u);
  EXPECT_EQ(sel.executed[0], "DllMain");
  EXPECT_EQ(sel.executed[1], "DllRegisterServer");
  EXPECT_EQ(sel.executed[2], "StartW");  // first ceil(5*0.1)=1
  EXPECT_EQ(sel.executed[3], "EndW");    // last 1
  // Lowest average similarity first (computed like SetSimilaritySearch with threshold 0.1: an export similar to
  // nothing averages 1.0 with itself, so "Zq9" comes last — the reference's metric, kept).
  EXPECT_EQ(sel.executed[4], "InstallW");
  EXPECT_EQ(sel.others, (std::vector<std::string>{"StartA", "StopA", "StopW", "Zq9"}));
  auto lines = dll_exports_section_lines(sel);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "The following exports were executed: DllMain, DllRegisterServer, StartW, EndW, InstallW");
  EXPECT_EQ(lines[1], "There were 4 other exports: StartA, StopA, StopW, Zq9");
}

TEST(PlanningDllExports, OverThreeHundredTakesTheNextOnes) {
  PeInfo pe;
  pe.has_export_directory = true;
  for (int i = 0; i < 301; ++i) pe.exports.push_back("f" + std::to_string(i));
  auto sel = select_dll_exports(pe, 6);
  EXPECT_EQ(sel.executed, (std::vector<std::string>{"DllMain", "DllRegisterServer", "f0", "f300", "f1", "f2"}));
  EXPECT_EQ(sel.others.size(), 297u);
}

std::vector<uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(PlanningFileType, Executables) {
  EXPECT_EQ(identify_file_type(make_pe(false, false, {}, 0, false)), "executable/windows/pe32");
  EXPECT_EQ(identify_file_type(make_pe(true, false, {}, 0, false)), "executable/windows/pe64");
  EXPECT_EQ(identify_file_type(make_pe(false, true, {"A"})), "executable/windows/dll32");
  EXPECT_EQ(identify_file_type(make_pe(true, true, {"A"})), "executable/windows/dll64");
  std::vector<uint8_t> dos(0x40, 0);
  dos[0] = 'M';
  dos[1] = 'Z';
  EXPECT_EQ(identify_file_type(dos), "executable/windows/dos");
  std::vector<uint8_t> elf(64, 0);
  std::memcpy(elf.data(), "\x7f" "ELF", 4);
  elf[4] = 2;
  elf[5] = 1;
  elf[16] = 2;  // ET_EXEC
  EXPECT_EQ(identify_file_type(elf), "executable/linux/elf64");
  elf[4] = 1;
  EXPECT_EQ(identify_file_type(elf), "executable/linux/elf32");
  elf[16] = 3;  // ET_DYN without PT_INTERP
  EXPECT_EQ(identify_file_type(elf), "executable/linux/so32");
}

TEST(PlanningFileType, ArchivesAndDocuments) {
  EXPECT_EQ(identify_file_type(bytes(std::string("PK\x03\x04", 4) + "payload.exe")), "archive/zip");
  EXPECT_EQ(identify_file_type(bytes(std::string("PK\x03\x04", 4) + "[Content_Types].xml word/document.xml")),
            "document/office/word");
  EXPECT_EQ(identify_file_type(bytes(std::string("PK\x03\x04", 4) + "[Content_Types].xml xl/workbook.xml")),
            "document/office/excel");
  EXPECT_EQ(identify_file_type(bytes("%PDF-1.7\n...")), "document/pdf");
  EXPECT_EQ(identify_file_type(bytes("{\\rtf1\\ansi")), "document/office/rtf");
  EXPECT_EQ(identify_file_type(bytes("Rar!\x1a\x07\x01")), "archive/rar");
  EXPECT_EQ(identify_file_type(bytes("7z\xbc\xaf\x27\x1c")), "archive/7-zip");
  std::string ole("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
  ole += std::string("W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0", 24);
  EXPECT_EQ(identify_file_type(bytes(ole)), "document/office/word");
  EXPECT_EQ(identify_file_type(bytes(std::string("L\0\0\0\x01\x14\x02\0", 8) + "xxxx")), "shortcut/windows");
  EXPECT_EQ(identify_file_type({}), "empty");
}

TEST(PlanningFileType, Scripts) {
  EXPECT_EQ(identify_file_type(bytes("@echo off\r\nset X=1\r\ngoto end\r\n")), "code/batch");
  EXPECT_EQ(identify_file_type(bytes("$c = New-Object Net.WebClient\nInvoke-Expression $c\nWrite-Host $env:TEMP\n")),
            "code/ps1");
  EXPECT_EQ(identify_file_type(bytes("Dim s\nSet s = CreateObject(\"WScript.Shell\")\ns.Run \"calc\"\n")),
            "code/vbs");
  EXPECT_EQ(identify_file_type(bytes("var x = new ActiveXObject('WScript.Shell');\nfunction f() { eval(x); };\n")),
            "code/javascript");
  EXPECT_EQ(identify_file_type(bytes("#!/usr/bin/env python3\nimport os\n")), "code/python");
  EXPECT_EQ(identify_file_type(bytes("<html><head><hta:application id=x></head></html>")), "code/hta");
  EXPECT_EQ(identify_file_type(bytes("<!DOCTYPE html><html><body><div>x</div></body></html>")), "code/html");
  EXPECT_EQ(identify_file_type(bytes("just some words here\n")), "text/plain");
  // The extension breaks a tie between close candidates.
  EXPECT_EQ(identify_file_type(bytes("echo hello\nset a=b\n"), "x.bat"), "code/batch");
  std::string utf16("\xff\xfe", 2);
  for (char ch : std::string("Write-Host $env:USERNAME; Invoke-WebRequest x\n")) {
    utf16.push_back(ch);
    utf16.push_back('\0');
  }
  EXPECT_EQ(identify_file_type(bytes(utf16)), "code/ps1");
}

TEST(PlanningFileType, SampleExecutables) {
  const std::filesystem::path samples = std::filesystem::path(ALCAPE_TEST_DATA) / "samples";
  struct Case {
    const char* dir;
    const char* file;
    const char* type;
  } cases[] = {
      {"5c186e41a0856e578b68a6ed068bb0ffe3d9c177a51502b3eacebdf51981bbd9", "AcceptEx.exe", "executable/windows/pe64"},
      {"6c5e685f5ed0dd6ce0609edf6e691bb7844ec553ed25ca6c27f328790aca1125", "suspended-process.exe",
       "executable/windows/pe32"},
  };
  for (const auto& c : cases) {
    auto t = identify_file(samples / c.dir / c.file);
    ASSERT_TRUE(t.ok()) << t.error().describe();
    EXPECT_EQ(t.value(), c.type) << c.file;
  }
  auto missing = identify_file(samples / "nope.exe");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnreadable);
}

}  // namespace
}  // namespace alcape::planning
