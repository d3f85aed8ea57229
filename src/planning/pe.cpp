#include "planning/pe.hpp"

#include <set>

namespace alcape::planning {
namespace {

// Every read is checked against the buffer; the numbers in a PE are attacker-controlled.
struct Reader {
  std::span<const uint8_t> b;
  bool ok(uint64_t off, uint64_t n) const { return off <= b.size() && n <= b.size() - off; }
  std::optional<uint16_t> u16(uint64_t off) const {
    if (!ok(off, 2)) return std::nullopt;
    return static_cast<uint16_t>(b[off] | (b[off + 1] << 8));
  }
  std::optional<uint32_t> u32(uint64_t off) const {
    if (!ok(off, 4)) return std::nullopt;
    return static_cast<uint32_t>(b[off]) | (static_cast<uint32_t>(b[off + 1]) << 8) |
           (static_cast<uint32_t>(b[off + 2]) << 16) | (static_cast<uint32_t>(b[off + 3]) << 24);
  }
};

struct Section {
  uint32_t va, vsize, raw_size, raw_ptr;
};

constexpr uint32_t kMaxExports = 65536;   // more than any real DLL; bounds the work on hostile counts
constexpr size_t kMaxNameLength = 1024;

std::optional<uint64_t> rva_to_offset(const Reader& r, const std::vector<Section>& sections, uint32_t rva) {
  for (const Section& s : sections) {
    uint64_t size = std::max(s.vsize, s.raw_size);
    if (rva >= s.va && rva < static_cast<uint64_t>(s.va) + size) {
      uint64_t off = static_cast<uint64_t>(rva) - s.va + s.raw_ptr;
      if (off < r.b.size()) return off;
      return std::nullopt;
    }
  }
  // Not in a section: headers are mapped 1:1 (as pefile does for RVAs below the first section).
  uint64_t first = UINT64_MAX;
  for (const Section& s : sections) first = std::min<uint64_t>(first, s.va);
  if (rva < first && rva < r.b.size()) return rva;
  return std::nullopt;
}

std::optional<std::string> c_string(const Reader& r, uint64_t off) {
  std::string out;
  for (uint64_t i = off; i < r.b.size() && out.size() <= kMaxNameLength; ++i) {
    if (r.b[i] == 0) return out;
    out.push_back(static_cast<char>(r.b[i]));
  }
  return std::nullopt;
}

void parse_exports(const Reader& r, const std::vector<Section>& sections, uint32_t dir_rva, PeInfo& pe) {
  auto dir = rva_to_offset(r, sections, dir_rva);
  if (!dir || !r.ok(*dir, 40)) return;
  pe.has_export_directory = true;
  uint32_t base = *r.u32(*dir + 16);
  uint32_t n_functions = std::min(*r.u32(*dir + 20), kMaxExports);
  uint32_t n_names = std::min(*r.u32(*dir + 24), kMaxExports);
  uint32_t functions_rva = *r.u32(*dir + 28);
  uint32_t names_rva = *r.u32(*dir + 32);
  uint32_t ordinals_rva = *r.u32(*dir + 36);
  std::set<uint64_t> named_ordinals;
  auto names = rva_to_offset(r, sections, names_rva);
  auto ordinals = rva_to_offset(r, sections, ordinals_rva);
  if (names && ordinals) {
    for (uint32_t i = 0; i < n_names; ++i) {
      auto name_rva = r.u32(*names + 4ull * i);
      auto ordinal = r.u16(*ordinals + 2ull * i);
      if (!name_rva || !ordinal) break;
      auto name_off = rva_to_offset(r, sections, *name_rva);
      if (!name_off) continue;
      auto name = c_string(r, *name_off);
      if (!name) continue;
      named_ordinals.insert(static_cast<uint64_t>(base) + *ordinal);
      pe.exports.push_back(name->empty() ? "#" + std::to_string(static_cast<uint64_t>(base) + *ordinal) : *name);
    }
  }
  // Exports by ordinal only (pefile lists them after the named ones, skipping empty slots).
  if (auto functions = rva_to_offset(r, sections, functions_rva)) {
    for (uint32_t i = 0; i < n_functions; ++i) {
      auto address = r.u32(*functions + 4ull * i);
      if (!address) break;
      uint64_t ordinal = static_cast<uint64_t>(base) + i;
      if (*address == 0 || named_ordinals.count(ordinal)) continue;
      pe.exports.push_back("#" + std::to_string(ordinal));
    }
  }
}

}  // namespace

std::optional<PeInfo> parse_pe(std::span<const uint8_t> bytes) {
  Reader r{bytes};
  if (!r.ok(0, 0x40) || bytes[0] != 'M' || bytes[1] != 'Z') return std::nullopt;
  uint64_t nt = *r.u32(0x3c);
  if (!r.ok(nt, 24) || bytes[nt] != 'P' || bytes[nt + 1] != 'E' || bytes[nt + 2] != 0 || bytes[nt + 3] != 0) {
    return std::nullopt;
  }
  PeInfo pe;
  pe.machine = *r.u16(nt + 4);
  uint16_t n_sections = *r.u16(nt + 6);
  uint16_t opt_size = *r.u16(nt + 20);
  pe.dll = (*r.u16(nt + 22) & 0x2000) != 0;
  uint64_t opt = nt + 24;
  auto magic = r.u16(opt);
  if (!magic || (*magic != 0x10b && *magic != 0x20b)) return std::nullopt;
  pe.pe64 = *magic == 0x20b;

  std::vector<Section> sections;
  uint64_t sec = opt + opt_size;
  for (uint16_t i = 0; i < n_sections && r.ok(sec + 40ull * i, 40); ++i) {
    uint64_t s = sec + 40ull * i;
    sections.push_back({*r.u32(s + 12), *r.u32(s + 8), *r.u32(s + 16), *r.u32(s + 20)});
  }

  uint64_t count_off = opt + (pe.pe64 ? 108 : 92);
  uint64_t dirs = opt + (pe.pe64 ? 112 : 96);
  auto n_dirs = r.u32(count_off);
  if (n_dirs && *n_dirs >= 1 && dirs + 8 <= opt + opt_size) {
    auto export_rva = r.u32(dirs);
    auto export_size = r.u32(dirs + 4);
    if (export_rva && export_size && *export_rva != 0 && *export_size != 0) {
      parse_exports(r, sections, *export_rva, pe);
    }
  }
  return pe;
}

}  // namespace alcape::planning
