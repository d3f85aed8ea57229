#include "emulators/nest/report_variants.hpp"

#include "json/value.hpp"

#include <fstream>
#include <sstream>
#include <vector>

namespace alcape::emulators::nest {

namespace {

// Where the walk is, to find behavior.processes[].calls.
enum class At { kRoot, kBehavior, kProcesses, kProcess, kElsewhere };

class VariantWriter {
 public:
  VariantWriter(std::ostream& out, const ReportVariants& v, uint64_t seed) : out_(out), v_(v), state_(seed | 1) {}

  void write(const json::Value& j, At at) {
    if (j.is_object()) return write_object(j, at);
    if (j.is_array()) {
      out_ << '[';
      bool first = true;
      const At inner = at == At::kProcesses ? At::kProcess : At::kElsewhere;
      for (const auto& e : j) {
        if (!first) out_ << ',';
        first = false;
        write(e, inner);
      }
      out_ << ']';
      return;
    }
    if (j.is_string() && v_.non_ascii > 0 && chance(v_.non_ascii)) {
      std::string s = j.get<std::string>();
      size_t pos = static_cast<size_t>(next() % (s.size() + 1));
      while (pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) ++pos;  // a code point boundary
      static const char* const kSnippets[] = {"é", "Ω", "日本語", "🦀", "\u200b", "ß", "Привет", "\u202e", "ü€"};
      s.insert(pos, kSnippets[next() % (sizeof kSnippets / sizeof kSnippets[0])]);
      return dump(json::Value(std::move(s)));
    }
    dump(j);
  }

 private:
  void write_object(const json::Value& j, At at) {
    std::vector<json::Value::const_iterator> members;
    for (auto it = j.begin(); it != j.end(); ++it) members.push_back(it);
    if (v_.shuffle_keys)
      for (size_t i = members.size(); i > 1; --i) std::swap(members[i - 1], members[next() % i]);
    out_ << '{';
    bool first = true;
    for (const auto& it : members) {
      const double r = (v_.drop_keys > 0 || v_.null_keys > 0) ? uniform() : 1.0;
      if (r < v_.drop_keys) continue;
      if (!first) out_ << ',';
      first = false;
      dump(json::Value(it.key()));
      out_ << ':';
      if (r < v_.drop_keys + v_.null_keys) {
        out_ << "null";
        continue;
      }
      const std::string& key = it.key();
      if (at == At::kProcess && key == "calls" && it.value().is_array()) {
        write_calls(it.value());
        continue;
      }
      At inner = At::kElsewhere;
      if (at == At::kRoot && key == "behavior") inner = At::kBehavior;
      else if (at == At::kBehavior && key == "processes") inner = At::kProcesses;
      write(it.value(), inner);
    }
    out_ << '}';
  }

  // The calls list, repeated: each copy is varied anew (order, nulls, strings), as a long-running process would
  // make the same calls again.
  void write_calls(const json::Value& calls) {
    out_ << '[';
    bool first = true;
    for (int64_t round = 0; round < std::max<int64_t>(v_.calls_multiplier, 1); ++round)
      for (const auto& c : calls) {
        if (!first) out_ << ',';
        first = false;
        write(c, At::kElsewhere);
      }
    out_ << ']';
  }

  void dump(const json::Value& j) { out_ << j.dump(-1, ' ', false, json::Value::error_handler_t::replace); }

  // splitmix64: the same sequence on every platform (std distributions are implementation-defined).
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  bool chance(double p) { return uniform() < p; }

  std::ostream& out_;
  const ReportVariants& v_;
  uint64_t state_;
};

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

Status write_report_variant(const std::filesystem::path& lite_json, const std::filesystem::path& out,
                            const ReportVariants& variants, const std::string& salt) {
  std::ifstream in(lite_json, std::ios::binary);
  if (!in) return make_error(ErrorCode::kUnreadable, "cannot read the recorded lite.json", lite_json.string());
  json::Value report = json::Value::parse(in, nullptr, false);
  if (report.is_discarded())
    return make_error(ErrorCode::kInvalidInput, "the recorded lite.json is not JSON", lite_json.string());
  std::ofstream o(out, std::ios::binary | std::ios::trunc);
  if (!o) return make_error(ErrorCode::kInternal, "cannot write the lite.json variant", out.string());
  VariantWriter(o, variants, variants.seed ^ fnv1a(salt)).write(report, At::kRoot);
  o.flush();
  if (!o) return make_error(ErrorCode::kInternal, "cannot write the lite.json variant (disk full?)", out.string());
  return {};
}

}  // namespace alcape::emulators::nest
