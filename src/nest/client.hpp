// The CAPE REST APIv2 client (cape-api.md §1-§3, §6): one nest, typed calls, the error envelope decoded into
// Errors with host and task id in their context, bounded retries whose decision comes from core/error_policy,
// exponential backoff with jitter, Retry-After, and never a wait past the deadline.
#pragma once

#include "config/service_config.hpp"
#include "core/status.hpp"
#include "json/value.hpp"
#include "net/http_client.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace alcape::nest {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using net::HttpRequest;
using net::HttpResponse;

struct ClientOptions {
  std::string token_key = "Token";
  milliseconds connect_timeout{30000};  // connection_timeout_in_seconds
  milliseconds call_timeout{120000};    // rest_timeout_in_seconds (whole call)
  milliseconds download_timeout{0};     // the report zip; 0: until the deadline
  int attempts = 3;                     // connection_attempts: tries of one call
  milliseconds backoff_base{1000};      // first retry wait; doubles per attempt, +-25 % jitter
  milliseconds backoff_max{30000};
  Clock::time_point deadline = Clock::time_point::max();
  const std::atomic<bool>* cancel = nullptr;
  bool uwsgi_with_recycle = false;      // connection resets are expected: not logged
  // Log lines ("warning", text); may be empty.
  std::function<void(const char* level, const std::string& text)> log;
  // Counts every HTTP request; shared by the clients of one pipeline run. May be null.
  std::shared_ptr<std::atomic<int>> call_counter;
};

// The client options from the service config (seconds -> ms) and a deadline.
ClientOptions options_from_config(const config::ServiceConfig& config, Clock::time_point deadline);

// Phase-aware polling of tasks/view (fewer calls than the reference's fixed 5 s loop).
struct PollOptions {
  milliseconds pending_interval{5000};     // pending / guest starting: the VM may start any moment
  milliseconds running_interval{15000};    // running: the analysis takes its timeout anyway
  milliseconds processing_interval{10000}; // completed: processing and reporting
  int missing_polls = 6;                   // "Task not found" right after create: transient this many times
};

struct TaskView {
  int64_t id = 0;
  std::string status;        // pending, running, completed, reported, failed_analysis, ...
  std::string guest_status;  // starting, running, stopping, failed, "" before a VM is assigned
  std::vector<std::string> errors;
  json::Value data;          // the whole task dict
};

struct CreateAnswer {
  std::vector<int64_t> task_ids;  // several when CAPE demuxed; the first is followed
  // The answer's `errors` entries of a successful create (demux and junk-filter messages), one text each:
  // "name: text", or just the text for {"junk_filter": text}.
  std::vector<std::string> messages;
};

// The `errors` list of a create answer as texts (exposed for tests).
std::vector<std::string> create_messages(const json::Value& errors);

class Client {
 public:
  Client(config::Host host, ClientOptions options);

  StatusOr<json::Value> cuckoo_status();              // `data` of cuckoo/status
  StatusOr<json::Value> machines_list();              // `data`: array of machines
  StatusOr<json::Value> search_sha256(const std::string& sha256);  // `data`: array of task dicts (newest first)
  // Multipart tasks/create/file/: `fields` are the task's form fields. Not repeated when the POST can have
  // reached the nest (no idempotency in CAPE: a repeat would create a second task).
  StatusOr<CreateAnswer> create_file(const std::filesystem::path& file, const std::string& file_name,
                                     const std::vector<std::pair<std::string, std::string>>& fields);
  StatusOr<TaskView> view_task(int64_t id);
  // Polls until `reported` or a failed_* status (returned as a TaskView; the caller decides), calling
  // `on_status` after each answer. Ends with kDeadline/kCancelled/kTaskMissing/... otherwise.
  StatusOr<TaskView> wait_for_report(int64_t id, const PollOptions& poll,
                                     const std::function<void(const TaskView&)>& on_status = {});
  // Streams tasks/get/report/<id>/lite/zip/ into `dest`. A JSON answer is not a zip: "still being analyzed"
  // and "does not exist" are kTaskMissing, "Task failed" kTaskFailed, others kApiError.
  Status download_lite_zip(int64_t id, const std::filesystem::path& dest);
  // tasks/reboot/<id>/ (reference-behaviour.md §1.3): the id of the reboot task. Stock CAPE has no such endpoint
  // (cape-api.md §2: a 404 page → kBadAnswer); nests patched for it answer {"task_id", "reboot_id"}, with or
  // without the `data` envelope.
  StatusOr<int64_t> reboot_task(int64_t id);
  // tasks/delete/<id>/ for reported tasks, tasks/delete/<id>/<status>/ otherwise.
  Status delete_task(int64_t id, const std::string& current_status = "reported");

  const config::Host& host() const { return host_; }
  const std::string& label() const { return label_; }
  std::string context(int64_t task_id = 0) const;  // "nest 127.0.0.1:8000" / "task 5 on nest 127.0.0.1:8000"

 private:
  HttpRequest request_to(const std::string& path, milliseconds total_timeout) const;
  StatusOr<HttpResponse> send(const HttpRequest& req, const std::string& ctx, bool* sent = nullptr) const;
  // data_optional: an answer without the `data` envelope is returned whole (tasks/reboot of patched nests).
  StatusOr<json::Value> call_json(const std::string& path, int64_t task_id, const char* what,
                                  bool data_optional = false);
  Status wait_before_retry(int attempt, const Error& error, std::optional<long> retry_after_s);
  void note_failure(const Error& error);

  config::Host host_;
  ClientOptions opt_;
  std::string root_;
  std::string label_;
};

// Decodes a CAPE answer (status + body) into its `data` or an Error (exposed for tests):
// failure <=> `error` is true or a non-empty list/string, even on HTTP 200; 401/403 kAuth; 429 kThrottled;
// 404 kTaskMissing when `task_id` is set (multitenancy hides tasks) else kBadAnswer; 301/405 kBadAnswer;
// 5xx kHttpStatus; HTML or invalid JSON on 200 kBadAnswer. data_optional: an answer without `data` is returned
// whole instead of kBadAnswer.
StatusOr<json::Value> decode_answer(long http_status, const std::string& content_type, const std::string& body,
                                    const std::string& location, const std::string& context, int64_t task_id,
                                    bool data_optional = false);

}  // namespace alcape::nest
