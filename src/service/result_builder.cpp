#include "service/result_builder.hpp"

#include "core/digest.hpp"

#include "result/heuristic_catalog.hpp"
#include "result/result_json.hpp"
#include "service/server_client.hpp"

#include <fmt/format.h>

#include <ctime>
#include <fstream>
#include <set>

namespace alcape::service {
namespace {

std::string str_field(const json::Value& v, const char* key, const std::string& fallback = "") {
  if (v.is_object() && v.contains(key) && v[key].is_string()) return v[key].get<std::string>();
  return fallback;
}

std::string dump(const json::Value& v) { return v.dump(-1, ' ', false, json::Value::error_handler_t::replace); }

}  // namespace

std::string iso_utc(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:06d}Z", buf, us);
}

BuiltResult build_result(const json::Value& task, pipeline::Outcome& outcome, const ServiceIdentity& id,
                         std::chrono::system_clock::time_point started, std::chrono::system_clock::time_point done,
                         const std::filesystem::path& work_dir) {
  const json::Value& fileinfo = task.contains("fileinfo") ? task["fileinfo"] : json::Value::object();
  const std::string classification = str_field(task, "min_classification", "TLP:C");
  const std::string sha256 = str_field(fileinfo, "sha256");
  int max_files = task.contains("max_files") && task["max_files"].is_number_integer() ? task["max_files"].get<int>()
                                                                                      : 500;
  BuiltResult out;
  std::set<std::string> seen;
  json::Value extracted = json::Value::array();
  json::Value supplementary = json::Value::array();

  auto add = [&](const pipeline::Artifact& a, bool is_supplementary, const char* relation) {
    std::error_code ec;
    auto size = std::filesystem::file_size(a.path, ec);
    if (ec || size == 0) return;  // the library never adds empty files
    std::string hash = a.sha256;
    if (hash.empty()) {
      auto computed = digest::sha256_file(a.path);
      if (!computed.ok()) return;
      hash = computed.value();
    }
    if (!seen.insert(hash).second) return;
    if (!is_supplementary && static_cast<int>(extracted.size()) >= max_files) return;
    json::Value e = json::Value::object();
    e["name"] = a.name;
    e["sha256"] = hash;
    e["description"] = a.description.empty() ? a.name : a.description;
    e["classification"] = classification;
    e["is_section_image"] = a.section_image;
    e["parent_relation"] = relation;
    e["allow_dynamic_recursion"] = false;
    (is_supplementary ? supplementary : extracted).push_back(std::move(e));
    out.files.push_back({a.path, hash, classification, a.section_image, is_supplementary});
  };
  for (const auto& a : outcome.extracted) add(a, false, "DYNAMIC");
  for (const auto& a : outcome.supplementary) add(a, true, "INFORMATION");

  // The ontology travels as a supplementary file, as the Python library attaches it (contract §6.1).
  if (outcome.ontology.is_object() && !outcome.ontology.empty() && !sha256.empty()) {
    std::filesystem::path p = work_dir / (sha256 + ".ontology");
    std::ofstream(p, std::ios::binary) << dump(outcome.ontology);
    std::string name = "cape_" + sha256 + ".ontology";
    add(pipeline::Artifact{p, name, "Result Ontology from " + id.name, "", true, false}, true, "INFORMATION");
  }

  // The outcome's root is untitled; its children are the top-level sections (depth 0).
  json::Value sections = json::Value::array();
  int score = 0;
  for (const auto& child : outcome.root->children) {
    json::Value part = result::to_wire_json(*child, result::HeuristicCatalog::builtin());
    score += part.value("score", 0);
    for (auto& sec : part["sections"]) sections.push_back(std::move(sec));
  }
  json::Value r = json::Value::object();
  r["classification"] = classification;
  json::Value resp = json::Value::object();
  resp["milestones"] = {{"service_started", iso_utc(started)}, {"service_completed", iso_utc(done)}};
  resp["service_name"] = str_field(task, "service_name", id.name);
  resp["service_version"] = id.version;
  resp["service_tool_version"] = id.tool_version.empty() ? json::Value() : json::Value(id.tool_version);
  resp["service_context"] = nullptr;
  resp["service_debug_info"] = nullptr;
  resp["supplementary"] = std::move(supplementary);
  resp["extracted"] = std::move(extracted);
  r["response"] = std::move(resp);
  json::Value body = json::Value::object();
  body["score"] = score;
  body["sections"] = std::move(sections);
  r["result"] = std::move(body);
  r["sha256"] = sha256;
  r["type"] = str_field(fileinfo, "type", "unknown");
  if (fileinfo.contains("size") && fileinfo["size"].is_number_integer()) r["size"] = fileinfo["size"];
  r["drop_file"] = false;
  r["partial"] = false;
  r["temp_submission_data"] = json::Value::object();
  out.result = std::move(r);
  return out;
}

json::Value build_error(const json::Value& task, Disposition disposition, const std::string& message,
                        const ServiceIdentity& id) {
  const json::Value& fileinfo = task.contains("fileinfo") ? task["fileinfo"] : json::Value::object();
  json::Value resp = json::Value::object();
  resp["message"] = message.empty() ? std::string("unknown error") : message;
  resp["service_name"] = str_field(task, "service_name", id.name);
  resp["service_version"] = id.version;
  resp["service_tool_version"] = id.tool_version.empty() ? json::Value() : json::Value(id.tool_version);
  resp["status"] = disposition == Disposition::kNonRecoverable ? "FAIL_NONRECOVERABLE" : "FAIL_RECOVERABLE";
  resp["service_debug_info"] = nullptr;
  json::Value e = json::Value::object();
  e["response"] = std::move(resp);
  e["sha256"] = str_field(fileinfo, "sha256");
  e["type"] = "EXCEPTION";
  return e;
}

std::string result_body(const json::Value& task, const json::Value& result, bool freshen, long exec_time_ms) {
  return fmt::format(R"({{"task":{},"result":{},"freshen":{},"exec_time":{}}})", dump(task), dump(result),
                     freshen ? "true" : "false", exec_time_ms);
}

std::string error_body(const json::Value& task, const json::Value& error, long exec_time_ms) {
  return fmt::format(R"({{"task":{},"error":{},"exec_time":{}}})", dump(task), dump(error), exec_time_ms);
}

}  // namespace alcape::service
