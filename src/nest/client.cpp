#include "nest/client.hpp"

#include "core/error_policy.hpp"
#include "net/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <optional>
#include <random>
#include <thread>

namespace alcape::nest {
namespace {

bool is_html(const std::string& content_type, const std::string& body) {
  if (content_type.find("text/html") != std::string::npos) return true;
  size_t i = 0;
  while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
  return body.compare(i, 1, "<") == 0;
}

std::string snippet(const std::string& body) {
  std::string s = body.substr(0, 200);
  for (auto& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

// The text of an error envelope: error_value, then errors[*] (nested {name: {"error": text}} or {name: text}),
// then `failed` (delete).
std::string envelope_text(const json::Value& j) {
  std::string text;
  auto add = [&](const std::string& s) {
    if (s.empty()) return;
    if (!text.empty()) text += "; ";
    text += s;
  };
  if (j.contains("error_value") && j["error_value"].is_string()) add(j["error_value"].get<std::string>());
  std::function<void(const json::Value&)> walk = [&](const json::Value& v) {
    if (v.is_string()) add(v.get<std::string>());
    else if (v.is_array() || v.is_object())
      for (const auto& item : v) walk(item);
  };
  if (j.contains("errors")) walk(j["errors"]);
  if (j.contains("failed")) walk(j["failed"]);
  if (j.contains("error") && !j["error"].is_boolean()) walk(j["error"]);
  if (text.empty()) text = "the nest answered with an error and no message";
  return text;
}

bool envelope_failed(const json::Value& j) {
  if (!j.is_object() || !j.contains("error")) return false;
  const auto& e = j["error"];
  if (e.is_boolean()) return e.get<bool>();
  if (e.is_array() || e.is_object()) return !e.empty();
  if (e.is_string()) return !e.get<std::string>().empty();
  if (e.is_number()) return e.get<double>() != 0;
  return false;
}

bool mentions_missing_task(const std::string& text) {
  return text.find("not found") != std::string::npos || text.find("does not exist") != std::string::npos ||
         text.find("Not found") != std::string::npos;
}

bool is_connection_reset(const Error& e) {
  return e.code == ErrorCode::kConnect &&
         (e.message.find("reset") != std::string::npos || e.message.find("Empty reply") != std::string::npos ||
          e.message.find("Recv failure") != std::string::npos ||
          e.message.find("closed") != std::string::npos);
}

}  // namespace

ClientOptions options_from_config(const config::ServiceConfig& config, Clock::time_point deadline) {
  ClientOptions o;
  o.token_key = config.token_key;
  o.connect_timeout = std::chrono::seconds(std::max(1, config.connection_timeout_in_seconds));
  o.call_timeout = std::chrono::seconds(std::max(1, config.rest_timeout_in_seconds));
  o.attempts = std::max(1, config.connection_attempts);
  o.deadline = deadline;
  o.uwsgi_with_recycle = config.uwsgi_with_recycle;
  return o;
}

StatusOr<json::Value> decode_answer(long status, const std::string& content_type, const std::string& body,
                                    const std::string& location, const std::string& context, int64_t task_id,
                                    bool data_optional) {
  auto http = [&](ErrorCode code, const std::string& what) {
    return make_error(code, "HTTP " + std::to_string(status) + ": " + what, context);
  };
  json::Value j = json::Value::parse(body, nullptr, false);
  const bool is_json = !j.is_discarded();
  if (status == 401 || status == 403) {
    std::string detail = is_json && j.is_object() && j.contains("detail") && j["detail"].is_string()
                             ? j["detail"].get<std::string>() : snippet(body);
    return http(ErrorCode::kAuth, "the nest refused the token (" + detail + "); check token and token_key");
  }
  if (status == 429) return http(ErrorCode::kThrottled, "throttled by the nest (make the API user staff)");
  if (status == 301 || status == 302 || status == 307 || status == 308)
    return http(ErrorCode::kBadAnswer, "redirected to '" + location +
                                           "' (missing trailing slash, or the nest wants https: set base_url)");
  if (status == 404) {
    if (task_id > 0) return http(ErrorCode::kTaskMissing, "task not found");
    return http(ErrorCode::kBadAnswer, "no such API endpoint on this nest (is the API path or CAPE version right?)");
  }
  if (status == 405) return http(ErrorCode::kBadAnswer, "method not allowed: " + snippet(body));
  if (status == 413) return http(ErrorCode::kTooLarge, "the nest refused the upload size");
  if (status >= 500) return http(ErrorCode::kHttpStatus, is_html(content_type, body) ? "server error page" : snippet(body));
  if (status == 400 && is_json && envelope_failed(j))
    return http(ErrorCode::kApiError, envelope_text(j));
  if (status != 200) return http(ErrorCode::kHttpStatus, "unexpected status: " + snippet(body));
  if (!is_json)
    return make_error(ErrorCode::kBadAnswer,
                      std::string(is_html(content_type, body) ? "an HTML page" : "not JSON") +
                          " where a JSON answer was expected: " + snippet(body), context);
  if (!j.is_object()) return make_error(ErrorCode::kBadAnswer, "answer is not a JSON object", context);
  if (envelope_failed(j)) {
    std::string text = envelope_text(j);
    if (task_id > 0 && mentions_missing_task(text)) return make_error(ErrorCode::kTaskMissing, text, context);
    return make_error(ErrorCode::kApiError, text, context);
  }
  if (!j.contains("data")) {
    if (data_optional) return j;
    return make_error(ErrorCode::kBadAnswer, "answer without data: " + snippet(body), context);
  }
  return std::move(j["data"]);
}

Client::Client(config::Host host, ClientOptions options)
    : host_(std::move(host)), opt_(std::move(options)), root_(host_.api_root()), label_(host_.label()) {}

std::string Client::context(int64_t task_id) const {
  return task_id > 0 ? "task " + std::to_string(task_id) + " on nest " + label_ : "nest " + label_;
}

void Client::note_failure(const Error& error) {
  if (!opt_.log) return;
  if (opt_.uwsgi_with_recycle && is_connection_reset(error)) return;  // expected when uwsgi recycles workers
  opt_.log("warning", error.describe());
}

Status Client::wait_before_retry(int attempt, const Error& error, std::optional<long> retry_after_s) {
  // Exponential backoff with +-25 % jitter; Retry-After is a floor.
  double base = static_cast<double>(opt_.backoff_base.count()) * std::pow(2.0, attempt - 1);
  base = std::min(base, static_cast<double>(opt_.backoff_max.count()));
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.75, 1.25);
  auto wait = milliseconds(static_cast<int64_t>(base * jitter(rng)));
  if (retry_after_s) wait = std::max(wait, milliseconds(*retry_after_s * 1000));
  const auto until = Clock::now() + wait;
  if (until >= opt_.deadline)
    return make_error(error.code, error.message + " (no time left to retry before the task deadline)", error.context);
  while (Clock::now() < until) {
    if (opt_.cancel && opt_.cancel->load()) return make_error(ErrorCode::kCancelled, "cancelled", error.context);
    std::this_thread::sleep_for(std::min<Clock::duration>(until - Clock::now(), milliseconds(50)));
  }
  return {};
}

namespace {
// Common preconditions of every request: not cancelled, deadline not passed.
std::optional<Error> stop_reason(const ClientOptions& o, const std::string& context) {
  if (o.cancel && o.cancel->load()) return make_error(ErrorCode::kCancelled, "cancelled", context);
  if (Clock::now() >= o.deadline) return make_error(ErrorCode::kDeadline, "the task deadline passed", context);
  return std::nullopt;
}

milliseconds until_deadline(const ClientOptions& o, milliseconds cap) {
  if (o.deadline == Clock::time_point::max()) return cap;
  auto left = std::chrono::duration_cast<milliseconds>(o.deadline - Clock::now());
  if (left < milliseconds(1)) left = milliseconds(1);
  return cap.count() > 0 ? std::min(left, cap) : left;
}
}  // namespace

// A request to this nest: API root + path, the auth and Accept headers, TLS settings, timeouts cut at the deadline.
HttpRequest Client::request_to(const std::string& path, milliseconds total_timeout) const {
  HttpRequest req;
  req.url = root_ + path;
  req.headers = {{"Authorization", opt_.token_key + " " + host_.token}, {"Accept", "application/json"}};
  req.connect_timeout = std::min(opt_.connect_timeout, until_deadline(opt_, opt_.connect_timeout));
  req.total_timeout = until_deadline(opt_, total_timeout);
  req.verify_tls = host_.verify_tls;
  req.ca_bundle = host_.ca_bundle;
  return req;
}

// Every request goes through here: counted, and a call whose time ran out because the task deadline cut its
// timeout (request_to) is the deadline, not a slow nest worth another try.
StatusOr<HttpResponse> Client::send(const HttpRequest& req, const std::string& ctx, bool* sent) const {
  if (opt_.call_counter) ++*opt_.call_counter;
  auto resp = net::perform(req, ctx, sent);
  if (!resp.ok() && resp.error().code == ErrorCode::kTimeout && Clock::now() + milliseconds(10) >= opt_.deadline)
    return make_error(ErrorCode::kDeadline, "the task deadline passed during the call (" + resp.error().message + ")",
                      ctx);
  return resp;
}

StatusOr<json::Value> Client::call_json(const std::string& path, int64_t task_id, const char* what,
                                        bool data_optional) {
  const std::string ctx = context(task_id) + " (" + what + ")";
  for (int attempt = 1;; ++attempt) {
    if (auto stop = stop_reason(opt_, ctx)) return *stop;
    HttpRequest req = request_to(path, opt_.call_timeout);
    auto resp = send(req, ctx);
    std::optional<long> retry_after;
    Error err{ErrorCode::kInternal, "", ""};
    if (resp.ok()) {
      auto decoded =
          decode_answer(resp->status, resp->content_type, resp->body, resp->location, ctx, task_id, data_optional);
      if (decoded.ok()) return decoded;
      err = decoded.error();
      retry_after = resp->retry_after_s;
    } else {
      err = resp.error();
    }
    note_failure(err);
    if (on_call_failure(err.code) != Disposition::kRetryCall || attempt >= opt_.attempts) return err;
    if (auto waited = wait_before_retry(attempt, err, retry_after); !waited.ok()) return waited.error();
  }
}

StatusOr<json::Value> Client::cuckoo_status() {
  auto data = call_json("cuckoo/status/", 0, "cuckoo/status");
  if (data.ok() && !data->is_object())
    return make_error(ErrorCode::kBadAnswer, "cuckoo/status data is not an object", context());
  return data;
}

StatusOr<int64_t> Client::reboot_task(int64_t id) {
  // Task id 0 for the call: a 404 is a missing endpoint (stock CAPE), not a task that is not yet visible.
  auto answer = call_json("tasks/reboot/" + std::to_string(id) + "/", 0, "tasks/reboot", true);
  if (!answer.ok()) {
    Error e = answer.error();
    e.context = context(id) + " (tasks/reboot)";
    return e;
  }
  const json::Value* rid = json::find(*answer, "reboot_id");
  if (!rid || !rid->is_number_integer() || rid->get<int64_t>() <= 0)
    return make_error(ErrorCode::kBadAnswer, "tasks/reboot answer without a reboot_id: " + answer->dump(),
                      context(id));
  return rid->get<int64_t>();
}

StatusOr<json::Value> Client::machines_list() {
  auto data = call_json("machines/list/", 0, "machines/list");
  if (data.ok() && !data->is_array())
    return make_error(ErrorCode::kBadAnswer, "machines/list data is not a list", context());
  return data;
}

StatusOr<json::Value> Client::search_sha256(const std::string& sha256) {
  std::string lower = sha256;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));  // upper case finds nothing
  auto data = call_json("tasks/search/sha256/" + lower + "/", 0, "tasks/search/sha256");
  if (data.ok() && !data->is_array())
    return make_error(ErrorCode::kBadAnswer, "tasks/search data is not a list", context());
  return data;
}

std::vector<std::string> create_messages(const json::Value& errors) {
  std::vector<std::string> out;
  if (!errors.is_array()) return out;
  for (const auto& e : errors) {
    if (e.is_string()) {
      out.push_back(e.get<std::string>());
      continue;
    }
    if (!e.is_object()) continue;
    for (auto it = e.begin(); it != e.end(); ++it) {
      // {name: text}, {name: {"error": text}} (download_file), {"junk_filter": text}, {"option": "file=x"} (HEAD)
      const json::Value& v = it.value();
      std::string text = v.is_string() ? v.get<std::string>()
                         : (v.is_object() && v.contains("error") && v["error"].is_string()) ? v["error"].get<std::string>()
                                                                                             : v.dump();
      out.push_back(it.key() == "junk_filter" ? text : it.key() + ": " + text);
    }
  }
  return out;
}

StatusOr<CreateAnswer> Client::create_file(const std::filesystem::path& file, const std::string& file_name,
                                           const std::vector<std::pair<std::string, std::string>>& fields) {
  const std::string ctx = context() + " (tasks/create/file " + file_name + ")";
  for (int attempt = 1;; ++attempt) {
    if (auto stop = stop_reason(opt_, ctx)) return *stop;
    HttpRequest req = request_to("tasks/create/file/", opt_.call_timeout);
    req.method = "POST";
    req.form_fields = fields;
    req.file_field = "file";
    req.file_path = file;
    req.file_name = file_name;
    bool sent = true;
    auto resp = send(req, ctx, &sent);
    std::optional<long> retry_after;
    Error err{ErrorCode::kInternal, "", ""};
    bool repeatable = true;
    if (resp.ok()) {
      auto decoded = decode_answer(resp->status, resp->content_type, resp->body, resp->location, ctx, 0);
      if (decoded.ok()) {
        CreateAnswer answer;
        const auto& d = decoded.value();
        if (d.is_object() && d.contains("task_ids") && d["task_ids"].is_array())
          for (const auto& id : d["task_ids"])
            if (id.is_number_integer()) answer.task_ids.push_back(id.get<int64_t>());
        if (answer.task_ids.empty())
          return make_error(ErrorCode::kBadAnswer, "tasks/create/file answered without task ids", ctx);
        // decode_answer keeps `data`; the messages are beside it.
        const json::Value whole = json::Value::parse(resp->body, nullptr, false);
        if (whole.is_object() && whole.contains("errors")) answer.messages = create_messages(whole["errors"]);
        return answer;
      }
      err = decoded.error();
      retry_after = resp->retry_after_s;
      // 429 is refused before the view runs; other statuses can come after the task was created.
      repeatable = resp->status == 429 || resp->status == 503;
    } else {
      err = resp.error();
      repeatable = !sent;
    }
    note_failure(err);
    if (!repeatable && on_call_failure(err.code) == Disposition::kRetryCall)
      err.message += " (not repeated: the upload may have created a task)";
    if (!repeatable || on_call_failure(err.code) != Disposition::kRetryCall || attempt >= opt_.attempts) return err;
    if (auto waited = wait_before_retry(attempt, err, retry_after); !waited.ok()) return waited.error();
  }
}

namespace {
TaskView to_task_view(int64_t id, const json::Value& data) {
  TaskView v;
  v.id = id;
  v.data = data;
  if (data.is_object()) {
    if (data.contains("status") && data["status"].is_string()) v.status = data["status"].get<std::string>();
    if (data.contains("guest") && data["guest"].is_object() && data["guest"].contains("status") &&
        data["guest"]["status"].is_string())
      v.guest_status = data["guest"]["status"].get<std::string>();
    if (data.contains("errors") && data["errors"].is_array())
      for (const auto& e : data["errors"])
        v.errors.push_back(e.is_string() ? e.get<std::string>() : e.dump());
  }
  return v;
}
}  // namespace

StatusOr<TaskView> Client::view_task(int64_t id) {
  auto data = call_json("tasks/view/" + std::to_string(id) + "/", id, "tasks/view");
  if (!data.ok()) return data.error();
  TaskView v = to_task_view(id, data.value());
  if (v.status.empty()) return make_error(ErrorCode::kBadAnswer, "tasks/view answer without a status", context(id));
  return v;
}

StatusOr<TaskView> Client::wait_for_report(int64_t id, const PollOptions& poll,
                                           const std::function<void(const TaskView&)>& on_status) {
  // One tasks/view per tick; transient failures (policy kRetryCall) are bounded by consecutive counts:
  // connection_attempts for transport failures, missing_polls for "Task not found" on a fresh task.
  int transient_failures = 0, missing = 0;
  const std::string ctx = context(id) + " (tasks/view)";
  for (;;) {
    if (auto stop = stop_reason(opt_, ctx)) return *stop;
    HttpRequest req = request_to("tasks/view/" + std::to_string(id) + "/", opt_.call_timeout);
    auto resp = send(req, ctx);
    StatusOr<json::Value> decoded = resp.ok() ? decode_answer(resp->status, resp->content_type, resp->body,
                                                              resp->location, ctx, id)
                                              : StatusOr<json::Value>(resp.error());
    milliseconds next = poll.pending_interval;
    if (decoded.ok()) {
      TaskView v = to_task_view(id, decoded.value());
      if (v.status.empty()) return make_error(ErrorCode::kBadAnswer, "tasks/view answer without a status", ctx);
      transient_failures = missing = 0;
      if (on_status) on_status(v);
      // Final states. "recovered": the view shows a recovered task itself only when CAPE cannot pivot to the
      // rescheduled task (custom "Recovery_<N>"; with the pivot it shows task N, which this loop follows); it will
      // never be reported, and its report endpoint says "still being analyzed" forever (cape-api.md §1.7, §2.5).
      if (v.status == "reported" || v.status.rfind("failed_", 0) == 0 || v.status == "banned" ||
          v.status == "recovered")
        return v;
      if (v.status == "running" && v.guest_status != "starting") next = poll.running_interval;
      else if (v.status == "completed") next = poll.processing_interval;
    } else {
      const Error& err = decoded.error();
      note_failure(err);
      if (on_call_failure(err.code) != Disposition::kRetryCall) return err;
      if (err.code == ErrorCode::kTaskMissing) {
        if (++missing > poll.missing_polls)
          return make_error(ErrorCode::kTaskMissing,
                            "still not found after " + std::to_string(missing) + " polls: " + err.message, ctx);
      } else if (++transient_failures >= opt_.attempts) {
        return err;
      }
      if (err.code != ErrorCode::kTaskMissing) {
        if (auto waited = wait_before_retry(transient_failures, err, resp.ok() ? resp->retry_after_s : std::nullopt);
            !waited.ok())
          return waited.error();
        continue;
      }
    }
    const auto until = Clock::now() + next;
    if (until >= opt_.deadline)
      return make_error(ErrorCode::kDeadline, "no report before the task deadline (last poll answered)", ctx);
    while (Clock::now() < until) {
      if (opt_.cancel && opt_.cancel->load()) return make_error(ErrorCode::kCancelled, "cancelled", ctx);
      std::this_thread::sleep_for(std::min<Clock::duration>(until - Clock::now(), milliseconds(50)));
    }
  }
}

Status Client::download_lite_zip(int64_t id, const std::filesystem::path& dest) {
  const std::string ctx = context(id) + " (tasks/get/report lite zip)";
  for (int attempt = 1;; ++attempt) {
    if (auto stop = stop_reason(opt_, ctx)) return *stop;
    HttpRequest req = request_to("tasks/get/report/" + std::to_string(id) + "/lite/zip/", opt_.download_timeout);
    req.download_to = dest;
    // CAPE builds the whole zip before the first byte: a long silence, then a big body.
    auto resp = send(req, ctx);
    std::optional<long> retry_after;
    Error err{ErrorCode::kInternal, "", ""};
    if (resp.ok()) {
      const auto& r = resp.value();
      const bool zip = r.body.compare(0, 4, "PK\x03\x04") == 0;
      if (r.status == 200 && zip) return {};
      retry_after = r.retry_after_s;
      if (r.status == 200 && (r.body_bytes == 0 || r.body == "{}" || r.body == "\"\"")) {
        err = make_error(ErrorCode::kHttpStatus, "empty report answer (is cape-processor running?)", ctx);
      } else if (r.status == 200 && r.body_bytes > r.body.size()) {
        err = make_error(ErrorCode::kBadAnswer, "a large answer that is not a zip", ctx);
      } else {
        auto decoded = decode_answer(r.status, r.content_type, r.body, r.location, ctx, id);
        if (decoded.ok()) {
          err = make_error(ErrorCode::kBadAnswer, "a JSON answer where the report zip was expected", ctx);
        } else {
          err = decoded.error();
          const std::string& m = err.message;
          if (err.code == ErrorCode::kApiError && m.find("still being analyzed") != std::string::npos)
            err.code = ErrorCode::kTaskMissing;  // not yet: transient
          else if (err.code == ErrorCode::kApiError && m.find("Task failed") != std::string::npos)
            err.code = ErrorCode::kTaskFailed;
          else if (err.code == ErrorCode::kApiError && m.find("directory does not exist") != std::string::npos)
            err.code = ErrorCode::kTaskMissing;
        }
      }
    } else {
      err = resp.error();
    }
    std::error_code ec;
    std::filesystem::remove(dest, ec);  // no half zip left behind
    note_failure(err);
    if (on_call_failure(err.code) != Disposition::kRetryCall || attempt >= opt_.attempts) return err;
    if (auto waited = wait_before_retry(attempt, err, retry_after); !waited.ok()) return waited.error();
  }
}

Status Client::delete_task(int64_t id, const std::string& current_status) {
  // Without a suffix CAPE deletes only reported tasks; the suffix must be the task's current status.
  std::string path = "tasks/delete/" + std::to_string(id) + "/";
  if (!current_status.empty() && current_status != "reported") path += current_status + "/";
  auto data = call_json(path, id, "tasks/delete");
  if (!data.ok()) return data.error();
  return {};
}

}  // namespace alcape::nest
