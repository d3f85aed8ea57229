// The result and error JSON a service posts (assemblyline-contract.md §3), built from a pipeline Outcome and
// the task as received.
#pragma once

#include "core/error_policy.hpp"
#include "json/value.hpp"
#include "pipeline/pipeline.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace alcape::service {

struct ServiceIdentity {
  std::string name = "CAPE";
  std::string version;       // stripped of "stable"
  std::string tool_version;  // empty -> null in the result
};

// A file to upload when the server says it is missing, with the headers it needs.
struct FileToUpload {
  std::filesystem::path path;
  std::string sha256;
  std::string classification;
  bool section_image = false;
  bool supplementary = false;
};

struct BuiltResult {
  json::Value result;                // the "result" member of the POST body
  std::vector<FileToUpload> files;   // every extracted + supplementary entry, by sha256
};

// "2026-08-20T14:01:02.123456Z"
std::string iso_utc(std::chrono::system_clock::time_point t);

// `work_dir` receives the ontology file (when the outcome has one).
BuiltResult build_result(const json::Value& task, pipeline::Outcome& outcome, const ServiceIdentity& id,
                         std::chrono::system_clock::time_point started, std::chrono::system_clock::time_point done,
                         const std::filesystem::path& work_dir);

// {"response": {"message", "service_name", ..., "status"}, "sha256", "type": "EXCEPTION"}.
json::Value build_error(const json::Value& task, Disposition disposition, const std::string& message,
                        const ServiceIdentity& id);

// {"task": <task>, "result": ..., "freshen": ...} / {"task": <task>, "error": ...}; the task is echoed with
// its members in the order and with the values received.
std::string result_body(const json::Value& task, const json::Value& result, bool freshen, long exec_time_ms);
std::string error_body(const json::Value& task, const json::Value& error, long exec_time_ms);

}  // namespace alcape::service
