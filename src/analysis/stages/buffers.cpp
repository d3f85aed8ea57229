#include "analysis/stages/buffers.hpp"

#include "core/digest.hpp"

#include "analysis/stages/py_repr.hpp"
#include "analysis/tagging/ioc_extract.hpp"

#include <openssl/evp.h>

#include <memory>

namespace alcape::analysis {
namespace {

constexpr size_t kRowLimitPerSourcePerProcess = 10;  // BUFFER_ROW_LIMIT_PER_SOURCE_PER_PROCESS
constexpr size_t kMinFragmentChars = 8;               // MIN_DOMAIN_CHARS
constexpr std::string_view kDosStub = "This program cannot be run in DOS mode";

bool looks_like_pe(std::string_view b) {
  return b.find("MZ") != std::string_view::npos && b.find(kDosStub) != std::string_view::npos;
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

size_t ioc_row_count(const result::Section& table) { return table.data.is_array() ? table.data.size() : 0; }

// The buffer argument of a process-map event, when it is a string.
const std::string* buffer_of(const json::Value& event) {
  const json::Value* b = json::find(json::get(event, "arguments"), "Buffer");
  return b && b->is_string() ? &b->get_ref<const std::string&>() : nullptr;
}

class BufferCollector {
 public:
  BufferCollector(AnalysisContext& ctx, std::vector<PeBuffer>* pe_out)
      : ctx_(ctx), pe_out_(pe_out), iocs_("Buffer IOCs", result::BodyFormat::Table) {}

  void add_process(const std::string& pid, const json::Value& details) {
    const json::Value* name = json::find(details, "name");
    std::string display = (name ? py_str(*name) : std::string("None")) + " (" + pid + ")";
    // Crypto buffers and debug strings share one row budget per process; network buffers have their own.
    size_t count = 0;
    for (const char* bucket : {"crypto_buffers", "misc_events"}) {
      const json::Value& events = json::get(details, bucket);
      if (!events.is_array()) continue;
      for (const auto& event : events) add_api_buffer(pid, display, event, count);
    }
    count = 0;
    const json::Value& network = json::get(details, "network_calls");
    if (network.is_array())
      for (const auto& event : network) add_network_buffer(pid, display, event, count);
  }

  void finish(result::Section& parent) {
    if (rows_.empty()) return;
    auto section = std::make_unique<result::Section>(std::string(kBuffersSectionTitle), result::BodyFormat::Table);
    section->auto_collapse = true;
    section->set_column_order({"Process", "Source", "Buffer"});
    for (auto& row : rows_) section->add_row(std::move(row));
    if (ioc_row_count(iocs_) > 0) {
      section->add_child(std::move(iocs_));
      section->set_heuristic(1006);
    }
    parent.add_child(std::move(section));
    if (pe_out_) {
      pe_out_->insert(pe_out_->end(), api_pe_.begin(), api_pe_.end());
      pe_out_->insert(pe_out_->end(), network_pe_.begin(), network_pe_.end());
    }
  }

 private:
  void add_api_buffer(const std::string& pid, const std::string& display, const json::Value& event, size_t& count) {
    const std::string* buffer = buffer_of(event);
    if (!buffer) return;
    if (looks_like_pe(*buffer)) api_pe_.push_back(pe_buffer(pid, event, "Windows API", *buffer));
    if (buffer->empty()) return;
    IocExtractOptions opts;
    opts.enforce_char_min = true;
    opts.is_network_static = true;
    extract_iocs_from_text_blob(*buffer, iocs_, opts);
    add_row(display, "Windows API", *buffer, count);
  }

  void add_network_buffer(const std::string& pid, const std::string& display, const json::Value& event,
                          size_t& count) {
    const std::string* raw = buffer_of(event);
    if (!raw || raw->empty()) return;
    std::string buffer = remove_bytes_from_buffer(*raw);
    const Safelist* safelist = ctx_.params.safelist.get();
    if (safelist &&
        safelist->is_tag_safelisted(buffer, {"network.dynamic.ip", "network.dynamic.uri", "network.dynamic.domain"}))
      return;
    size_t before = ioc_row_count(iocs_);
    IocExtractOptions opts;
    opts.enforce_char_min = true;
    opts.is_network_static = true;
    opts.safelist = safelist;
    extract_iocs_from_text_blob(buffer, iocs_, opts);
    // A network buffer is shown only when it revealed a new IOC.
    if (ioc_row_count(iocs_) == before) return;
    if (add_row(display, "Network", buffer, count) && looks_like_pe(buffer))
      network_pe_.push_back(pe_buffer(pid, event, "Network", buffer));
  }

  // Appends a row unless it is already shown or the per-source budget is spent; true when appended.
  bool add_row(const std::string& display, const char* source, const std::string& buffer, size_t& count) {
    json::Value row = json::Value::object();
    row["Process"] = display;
    row["Source"] = source;
    row["Buffer"] = result::safe_str(buffer);
    if (count >= kRowLimitPerSourcePerProcess) return false;
    for (const auto& r : rows_)
      if (r == row) return false;
    rows_.push_back(std::move(row));
    ++count;
    return true;
  }

  static PeBuffer pe_buffer(const std::string& pid, const json::Value& event, const char* source,
                            const std::string& data) {
    return PeBuffer{pid, json::get_string_or(event, "api", ""), source, digest::sha256_hex(data), data};
  }

  AnalysisContext& ctx_;
  std::vector<PeBuffer>* pe_out_;
  result::Section iocs_;
  std::vector<json::Value> rows_;
  std::vector<PeBuffer> api_pe_, network_pe_;
};

void run(AnalysisContext& ctx, result::Section& parent, std::vector<PeBuffer>* pe_out) {
  if (!ctx.process_map.is_object() || ctx.process_map.empty()) return;
  BufferCollector collector(ctx, pe_out);
  for (auto it = ctx.process_map.begin(); it != ctx.process_map.end(); ++it)
    if (it.value().is_object()) collector.add_process(it.key(), it.value());
  collector.finish(parent);
}

}  // namespace

std::string remove_bytes_from_buffer(std::string_view buffer) {
  std::string out;
  size_t i = 0, backslashes = 0;
  while (i <= buffer.size()) {
    size_t end = buffer.find('\\', i);
    if (end == std::string_view::npos) end = buffer.size();
    std::string_view fragment = buffer.substr(i, end - i);
    if (!fragment.empty()) {
      // An odd run of backslashes before the fragment means its first character is escaped ("\\x41" is a
      // backslash followed by the text x41).
      if (backslashes % 2 == 1 && fragment.size() >= 3 && fragment[0] == 'x' && is_hex(fragment[1]) &&
          is_hex(fragment[2]))
        fragment.remove_prefix(3);
      backslashes = 0;
      if (code_points(fragment) >= kMinFragmentChars && fragment != "http/1.1") {
        if (!out.empty()) out += ',';
        out.append(fragment);
      }
    }
    if (end == buffer.size()) break;
    ++backslashes;
    i = end + 1;
  }
  return out;
}

void process_buffers(AnalysisContext& ctx, result::Section& parent) { run(ctx, parent, nullptr); }

void process_buffers(AnalysisContext& ctx, result::Section& parent, std::vector<PeBuffer>& pe_buffers) {
  run(ctx, parent, &pe_buffers);
}

}  // namespace alcape::analysis
