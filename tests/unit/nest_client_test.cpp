// The CAPE REST client against a scripted fake nest: every answer class of cape-api.md §1-§3/§6, what the client
// sends (headers, trailing slashes, multipart), retry bounds, Retry-After, deadlines and call counts.
#include "nest/client.hpp"

#include "core/error_policy.hpp"

#include "support/fake_upstream.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace alcape::nest {
namespace {

using alcape::testing::FakeUpstream;
using alcape::testing::html_reply;
using alcape::testing::json_reply;
using alcape::testing::Recorded;
using alcape::testing::Reply;
using alcape::testing::sequence;
using namespace std::chrono_literals;

config::Host host_for(int port) {
  config::Host h;
  h.ip = "127.0.0.1";
  h.port = port;
  h.token = "s3cret";
  return h;
}

struct Fixture {
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
  std::vector<std::string> logs;
  ClientOptions options() {
    ClientOptions o;
    o.connect_timeout = 500ms;
    o.call_timeout = 500ms;
    o.attempts = 3;
    o.backoff_base = 5ms;
    o.backoff_max = 20ms;
    o.call_counter = calls;
    o.log = [this](const char*, const std::string& text) { logs.push_back(text); };
    return o;
  }
};

const PollOptions kFastPoll{2ms, 2ms, 2ms, 3};

TEST(NestClient, StatusSendsAuthAcceptAndTrailingSlash) {
  FakeUpstream up([](const Recorded&) {
    return json_reply(R"({"error":false,"data":{"tasks":{"pending":2},"machines":{"available":1}}})");
  });
  Fixture f;
  auto o = f.options();
  o.token_key = "Bearer";
  Client c(host_for(up.port()), o);
  auto st = c.cuckoo_status();
  ASSERT_TRUE(st.ok()) << st.error().describe();
  EXPECT_EQ((*st)["tasks"]["pending"], 2);
  auto reqs = up.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[0].path, "/apiv2/cuckoo/status/");
  EXPECT_EQ(reqs[0].headers["Authorization"], "Bearer s3cret");
  EXPECT_EQ(reqs[0].headers["Accept"], "application/json");
  EXPECT_EQ(*f.calls, 1);
}

TEST(NestClient, SuccessProfiles2025And2026) {
  for (const char* body : {R"({"error":false,"data":[{"name":"win10"}]})", R"({"error":[],"data":[{"name":"win10"}]})",
                           R"({"data":[{"name":"win10"}]})"}) {
    FakeUpstream up([body](const Recorded&) { return json_reply(body); });
    Fixture f;
    Client c(host_for(up.port()), f.options());
    auto m = c.machines_list();
    ASSERT_TRUE(m.ok()) << body;
    EXPECT_EQ((*m)[0]["name"], "win10");
  }
}

TEST(NestClient, ErrorEnvelopeOn200IsFinalAndNamesTheHost) {
  for (const char* body : {R"({"error":true,"error_value":"Machine list API is disabled"})",
                           R"({"error":["Machine list API is disabled"],"data":[]})"}) {
    FakeUpstream up([body](const Recorded&) { return json_reply(body); });
    Fixture f;
    Client c(host_for(up.port()), f.options());
    auto m = c.machines_list();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, ErrorCode::kApiError);
    EXPECT_NE(m.error().message.find("Machine list API is disabled"), std::string::npos);
    EXPECT_NE(m.error().context.find("127.0.0.1:" + std::to_string(up.port())), std::string::npos);
    EXPECT_EQ(*f.calls, 1) << "an API error is not retried";
  }
}

TEST(NestClient, AuthFailuresAreFinal) {
  for (int status : {401, 403}) {
    FakeUpstream up([status](const Recorded&) { return json_reply(R"({"detail":"Invalid token."})", status); });
    Fixture f;
    Client c(host_for(up.port()), f.options());
    auto m = c.cuckoo_status();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, ErrorCode::kAuth);
    EXPECT_NE(m.error().message.find("Invalid token."), std::string::npos);
    EXPECT_EQ(*f.calls, 1);
  }
}

TEST(NestClient, ThrottledHonoursRetryAfter) {
  Reply throttled = json_reply(R"({"detail":"Request was throttled. Expected available in 1 second."})", 429);
  throttled.headers["Retry-After"] = "1";
  FakeUpstream up(sequence({throttled, json_reply(R"({"error":false,"data":{}})")}));
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto t0 = Clock::now();
  auto st = c.cuckoo_status();
  ASSERT_TRUE(st.ok()) << st.error().describe();
  EXPECT_GE(Clock::now() - t0, 1000ms);
  EXPECT_EQ(*f.calls, 2);
}

TEST(NestClient, ThrottledRetryAfterBeyondDeadlineFailsAtOnce) {
  Reply throttled = json_reply(R"({"detail":"throttled"})", 429);
  throttled.headers["Retry-After"] = "60";
  FakeUpstream up([throttled](const Recorded&) { return throttled; });
  Fixture f;
  auto o = f.options();
  o.deadline = Clock::now() + 2s;
  Client c(host_for(up.port()), o);
  auto t0 = Clock::now();
  auto st = c.cuckoo_status();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kThrottled);
  EXPECT_NE(st.error().message.find("deadline"), std::string::npos);
  EXPECT_LT(Clock::now() - t0, 1s);
  EXPECT_EQ(*f.calls, 1);
}

TEST(NestClient, HtmlServerErrorIsRetriedThenSucceeds) {
  FakeUpstream up(sequence({html_reply(500), html_reply(502), json_reply(R"({"error":false,"data":[]})")}));
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto s = c.search_sha256("ABCDEF");
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_EQ(*f.calls, 3);
  EXPECT_EQ(up.requests()[0].path, "/apiv2/tasks/search/sha256/abcdef/") << "searched in lower case";
}

TEST(NestClient, PersistentServerErrorStopsAfterConnectionAttempts) {
  FakeUpstream up([](const Recorded&) { return html_reply(500); });
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto s = c.cuckoo_status();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kHttpStatus);
  EXPECT_EQ(*f.calls, 3);
  EXPECT_EQ(on_task_failure(s.error().code), Disposition::kRecoverable);
}

TEST(NestClient, NotFoundMethodAndRedirectAreBadAnswersNotRetried) {
  Reply redirect = html_reply(301, "");
  redirect.headers["Location"] = "/apiv2/cuckoo/status/";
  for (const Reply& r : {html_reply(404, "<h1>Page not found</h1>"), json_reply(R"({"detail":"Method \"GET\" not allowed."})", 405), redirect}) {
    FakeUpstream up([r](const Recorded&) { return r; });
    Fixture f;
    Client c(host_for(up.port()), f.options());
    auto s = c.cuckoo_status();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kBadAnswer) << r.status;
    EXPECT_EQ(*f.calls, 1);
  }
}

TEST(NestClient, HtmlOn200IsABadAnswer) {
  FakeUpstream up([](const Recorded&) { return html_reply(200, "<html>browsable API</html>"); });
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto s = c.cuckoo_status();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kBadAnswer);
  EXPECT_NE(s.error().message.find("HTML"), std::string::npos);
}

TEST(NestClient, ConnectionRefusedIsBoundedAndRecoverable) {
  int port;
  { FakeUpstream up([](const Recorded&) { return Reply{}; }); port = up.port(); }  // now closed
  Fixture f;
  Client c(host_for(port), f.options());
  auto s = c.cuckoo_status();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConnect);
  EXPECT_EQ(*f.calls, 3);
  EXPECT_EQ(on_task_failure(s.error().code), Disposition::kRecoverable);
}

TEST(NestClient, SlowAnswerTimesOutPerCall) {
  Reply slow = json_reply(R"({"error":false,"data":{}})");
  slow.delay_ms = 400;
  FakeUpstream up([slow](const Recorded&) { return slow; });
  Fixture f;
  auto o = f.options();
  o.call_timeout = 100ms;
  o.attempts = 2;
  Client c(host_for(up.port()), o);
  auto t0 = Clock::now();
  auto s = c.cuckoo_status();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(*f.calls, 2);
  EXPECT_LT(Clock::now() - t0, 1s);
}

TEST(NestClient, DeadlineBoundsTheCallTimeout) {
  Reply slow = json_reply(R"({"error":false,"data":{}})");
  slow.delay_ms = 3000;
  FakeUpstream up([slow](const Recorded&) { return slow; });
  Fixture f;
  auto o = f.options();
  o.call_timeout = 5000ms;
  o.deadline = Clock::now() + 150ms;
  Client c(host_for(up.port()), o);
  auto t0 = Clock::now();
  auto s = c.cuckoo_status();
  ASSERT_FALSE(s.ok());
  EXPECT_LT(Clock::now() - t0, 1500ms);  // cut at the 150 ms deadline, long before the 3 s answer
}

std::filesystem::path temp_file(const std::string& name, const std::string& content) {
  auto p = std::filesystem::temp_directory_path() / (name + "." + std::to_string(::getpid()));
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

TEST(NestClient, CreateSendsMultipartFieldsAndFile) {
  FakeUpstream up([](const Recorded&) {
    return json_reply(R"({"error":false,"data":{"task_ids":[7,8],"message":"Task IDs 7, 8 have been submitted"},"errors":[]})");
  });
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto file = temp_file("sample", "MZ\x90payload");
  auto r = c.create_file(file, "sample.exe", {{"timeout", "150"}, {"options", "force-sleepskip=1"}, {"tags", "win10x64"}});
  std::filesystem::remove(file);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->task_ids, (std::vector<int64_t>{7, 8}));
  auto req = up.requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/apiv2/tasks/create/file/");
  EXPECT_EQ(req.file_name, "sample.exe");
  EXPECT_EQ(req.file_content, "MZ\x90payload");
  EXPECT_EQ(req.fields["timeout"], "150");
  EXPECT_EQ(req.fields["options"], "force-sleepskip=1");
  EXPECT_EQ(req.fields["tags"], "win10x64");
  EXPECT_EQ(req.headers["Authorization"], "Token s3cret");
}

TEST(NestClient, CreateErrorCarriesCapeErrors) {
  FakeUpstream up([](const Recorded&) {
    return json_reply(R"({"error":true,"error_value":"Error adding task to database","errors":[{"sample.exe":{"error":"Check Tags help, you have introduced incorrect tag(s). Your tags: nope - Supported tags: x64"}}]})");
  });
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto file = temp_file("sample2", "x");
  auto r = c.create_file(file, "sample.exe", {});
  std::filesystem::remove(file);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kApiError);
  EXPECT_NE(r.error().message.find("Check Tags help"), std::string::npos);
  EXPECT_EQ(*f.calls, 1);
}

TEST(NestClient, CreateIsNotRepeatedWhenTheUploadMayHaveCreatedATask) {
  Reply slow = json_reply(R"({"error":false,"data":{"task_ids":[1]}})");
  slow.delay_ms = 300;
  FakeUpstream up([slow](const Recorded&) { return slow; });
  Fixture f;
  auto o = f.options();
  o.call_timeout = 100ms;
  Client c(host_for(up.port()), o);
  auto file = temp_file("sample3", "x");
  auto r = c.create_file(file, "s.exe", {});
  std::filesystem::remove(file);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
  EXPECT_NE(r.error().message.find("not repeated"), std::string::npos);
  EXPECT_EQ(*f.calls, 1);
  EXPECT_EQ(on_task_failure(r.error().code), Disposition::kRecoverable);
}

TEST(NestClient, CreateRepeatedAfterThrottle) {
  Reply throttled = json_reply(R"({"detail":"throttled"})", 429);
  throttled.headers["Retry-After"] = "0";
  FakeUpstream up(sequence({throttled, json_reply(R"({"error":[],"data":{"task_ids":[3]}})")}));
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto file = temp_file("sample4", "x");
  auto r = c.create_file(file, "s.exe", {});
  std::filesystem::remove(file);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->task_ids.at(0), 3);
  EXPECT_EQ(*f.calls, 2);
}

std::string view(const std::string& status, const std::string& guest = "") {
  std::string g = guest.empty() ? "{}" : R"({"status":")" + guest + R"("})";
  return R"({"error":false,"data":{"id":5,"status":")" + status + R"(","guest":)" + g + R"(,"errors":[]}})";
}

TEST(NestClient, PollsThroughThePhasesUntilReported) {
  FakeUpstream up(sequence({json_reply(view("pending")), json_reply(view("running", "starting")),
                            json_reply(view("running", "running")), json_reply(view("completed")),
                            json_reply(view("reported"))}));
  Fixture f;
  Client c(host_for(up.port()), f.options());
  std::vector<std::string> seen;
  auto v = c.wait_for_report(5, kFastPoll, [&](const TaskView& t) { seen.push_back(t.status); });
  ASSERT_TRUE(v.ok()) << v.error().describe();
  EXPECT_EQ(v->status, "reported");
  EXPECT_EQ(seen, (std::vector<std::string>{"pending", "running", "running", "completed", "reported"}));
  EXPECT_EQ(*f.calls, 5);
  EXPECT_EQ(up.requests()[0].path, "/apiv2/tasks/view/5/");
}

// banned and recovered (a recovered task CAPE cannot pivot to its rescheduled task) are never reported: the wait
// ends at once instead of polling until the deadline (cape-api.md §1.7, §2.5).
TEST(NestClient, BannedAndRecoveredEndTheWait) {
  for (const char* final_status : {"banned", "recovered"}) {
    FakeUpstream up(sequence({json_reply(view("pending")), json_reply(view(final_status)),
                              json_reply(view("reported"))}));
    Fixture f;
    Client c(host_for(up.port()), f.options());
    auto v = c.wait_for_report(5, kFastPoll, {});
    ASSERT_TRUE(v.ok()) << v.error().describe();
    EXPECT_EQ(v->status, final_status);
    EXPECT_EQ(*f.calls, 2) << final_status;
  }
}

TEST(NestClient, PhaseAwareIntervalsUseFewerCallsThanAFixedLoop) {
  // Running for 300 ms: a fixed 20 ms loop would make ~15 calls; a 100 ms running interval makes ~3-4.
  auto start = Clock::now();
  FakeUpstream up([start](const Recorded&) {
    return json_reply(Clock::now() - start < 300ms ? view("running", "running") : view("reported"));
  });
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto v = c.wait_for_report(5, PollOptions{20ms, 100ms, 20ms, 3});
  ASSERT_TRUE(v.ok());
  EXPECT_LE(*f.calls, 5);
}

TEST(NestClient, TaskNotFoundRightAfterCreateIsTransient) {
  FakeUpstream up(sequence({json_reply(R"({"error":true,"error_value":"Task not found in database"})"),
                            json_reply(R"({"error":true,"error_value":"Task not found"})", 404),
                            json_reply(view("reported"))}));
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto v = c.wait_for_report(5, kFastPoll);
  ASSERT_TRUE(v.ok()) << v.error().describe();
  EXPECT_EQ(*f.calls, 3);
}

TEST(NestClient, TaskNotFoundForeverEndsAfterBoundedPolls) {
  FakeUpstream up([](const Recorded&) { return json_reply(R"({"error":true,"error_value":"Task not found in database"})"); });
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto v = c.wait_for_report(5, kFastPoll);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kTaskMissing);
  EXPECT_NE(v.error().context.find("task 5"), std::string::npos);
  EXPECT_EQ(*f.calls, kFastPoll.missing_polls + 1);
  EXPECT_EQ(on_task_failure(v.error().code), Disposition::kRecoverable);
}

TEST(NestClient, FailedAnalysisIsReturnedWithItsErrors) {
  FakeUpstream up([](const Recorded&) {
    return json_reply(R"({"error":false,"data":{"id":5,"status":"failed_analysis","guest":{},"errors":["Analysis failed: machine not found"]}})");
  });
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto v = c.wait_for_report(5, kFastPoll);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->status, "failed_analysis");
  EXPECT_EQ(v->errors, (std::vector<std::string>{"Analysis failed: machine not found"}));
}

TEST(NestClient, ACallCutShortByTheDeadlineIsTheDeadlineNotATimeout) {
  FakeUpstream up([](const Recorded&) {
    Reply slow = json_reply(view("running", "running"));
    slow.delay_ms = 1500;
    return slow;
  });
  Fixture f;
  auto o = f.options();
  o.deadline = Clock::now() + 200ms;  // well before the per-call timeout
  Client c(host_for(up.port()), o);
  auto v = c.wait_for_report(5, PollOptions{30ms, 30ms, 30ms, 3});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kDeadline) << v.error().describe();
  EXPECT_NE(v.error().message.find("deadline"), std::string::npos);
}

TEST(NestClient, PollingStopsAtTheDeadline) {
  FakeUpstream up([](const Recorded&) { return json_reply(view("running", "running")); });
  Fixture f;
  auto o = f.options();
  o.deadline = Clock::now() + 200ms;
  Client c(host_for(up.port()), o);
  auto t0 = Clock::now();
  auto v = c.wait_for_report(5, PollOptions{30ms, 30ms, 30ms, 3});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kDeadline);
  EXPECT_LT(Clock::now() - t0, 2000ms);  // stops at the 200 ms deadline, not later (generous for loaded CI machines)
}

TEST(NestClient, CancelStopsPolling) {
  FakeUpstream up([](const Recorded&) { return json_reply(view("pending")); });
  Fixture f;
  std::atomic<bool> cancel{false};
  auto o = f.options();
  o.cancel = &cancel;
  Client c(host_for(up.port()), o);
  std::thread t([&] { std::this_thread::sleep_for(100ms); cancel = true; });
  auto v = c.wait_for_report(5, PollOptions{1000ms, 1000ms, 1000ms, 3});
  t.join();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kCancelled);
}

std::string fake_zip() { return std::string("PK\x03\x04", 4) + std::string(100000, 'z'); }

TEST(NestClient, ReportStillBeingAnalyzedIsNotAZip) {
  Reply zip{200, fake_zip(), "application/zip"};
  FakeUpstream up(sequence({json_reply(R"({"error":true,"error_value":"Task is still being analyzed"})"), zip}));
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto dest = std::filesystem::temp_directory_path() / ("lite." + std::to_string(::getpid()) + ".zip");
  auto s = c.download_lite_zip(9, dest);
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_EQ(std::filesystem::file_size(dest), fake_zip().size());
  std::filesystem::remove(dest);
  EXPECT_EQ(up.requests()[0].path, "/apiv2/tasks/get/report/9/lite/zip/");
  EXPECT_EQ(*f.calls, 2);
}

TEST(NestClient, ReportOfAFailedTaskIsFinal) {
  FakeUpstream up([](const Recorded&) { return json_reply(R"({"error":true,"error_value":"Task failed"})"); });
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto dest = std::filesystem::temp_directory_path() / ("lite2." + std::to_string(::getpid()) + ".zip");
  auto s = c.download_lite_zip(9, dest);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kTaskFailed);
  EXPECT_FALSE(std::filesystem::exists(dest)) << "no partial file left";
  EXPECT_EQ(*f.calls, 1);
}

TEST(NestClient, ResetMidDownloadIsRetriedAndSilencedWithUwsgiRecycle) {
  for (bool recycle : {false, true}) {
    Reply cut{200, fake_zip(), "application/zip"};
    cut.reset_mid_body = true;
    FakeUpstream up(sequence({cut, Reply{200, fake_zip(), "application/zip"}}));
    Fixture f;
    auto o = f.options();
    o.uwsgi_with_recycle = recycle;
    Client c(host_for(up.port()), o);
    auto dest = std::filesystem::temp_directory_path() / ("lite3." + std::to_string(::getpid()) + ".zip");
    auto s = c.download_lite_zip(9, dest);
    ASSERT_TRUE(s.ok()) << s.error().describe();
    EXPECT_EQ(std::filesystem::file_size(dest), fake_zip().size());
    std::filesystem::remove(dest);
    EXPECT_EQ(*f.calls, 2);
    EXPECT_EQ(f.logs.size(), recycle ? 0u : 1u) << "uwsgi_with_recycle silences the expected disconnect";
  }
}

TEST(NestClient, DeleteUsesTheStatusSuffixForUnreportedTasks) {
  FakeUpstream up([](const Recorded&) { return json_reply(R"({"data":"Task(s) ID(s) 5 has been deleted"})"); });
  Fixture f;
  Client c(host_for(up.port()), f.options());
  ASSERT_TRUE(c.delete_task(5).ok());
  ASSERT_TRUE(c.delete_task(6, "failed_analysis").ok());
  auto reqs = up.requests();
  EXPECT_EQ(reqs[0].path, "/apiv2/tasks/delete/5/");
  EXPECT_EQ(reqs[1].path, "/apiv2/tasks/delete/6/failed_analysis/");
}

TEST(NestClient, DeleteDisabledIsAnApiError) {
  FakeUpstream up([](const Recorded&) { return json_reply(R"({"error":true,"error_value":"Task Deletion API is Disabled"})"); });
  Fixture f;
  Client c(host_for(up.port()), f.options());
  auto s = c.delete_task(5);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kApiError);
  EXPECT_NE(s.error().context.find("task 5"), std::string::npos);
}

TEST(NestClient, DecodeAnswerTable) {
  EXPECT_EQ(decode_answer(200, "application/json", R"({"error":false})", "", "c", 0).error().code, ErrorCode::kBadAnswer);
  EXPECT_EQ(decode_answer(404, "text/html", "<html>", "", "c", 3).error().code, ErrorCode::kTaskMissing);
  EXPECT_EQ(decode_answer(400, "application/json", R"({"error":true,"error_value":"Malformed task ID"})", "", "c", 3).error().code,
            ErrorCode::kApiError);
  EXPECT_EQ(decode_answer(200, "application/json", "[]", "", "c", 0).error().code, ErrorCode::kBadAnswer);
}

}  // namespace
}  // namespace alcape::nest
