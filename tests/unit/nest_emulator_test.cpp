// The CAPE nest emulator against cape-api.md: every endpoint's answer shape, the task timeline, auth, throttling,
// profiles, switches and each injected fault, through a real HTTP client on loopback.
#include "emulators/nest/emulator.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <zip.h>

#include <chrono>
#include <map>
#include <thread>

namespace alcape::emulators::nest {
namespace {

namespace fs = std::filesystem;
using json::Value;

const std::string kSha = "5c186e41a0856e578b68a6ed068bb0ffe3d9c177a51502b3eacebdf51981bbd9";
fs::path samples_dir() { return alcape::testing::data_dir() / "samples"; }
fs::path sample_folder() { return samples_dir() / kSha; }
std::string sample_bytes() { return alcape::testing::read_file(sample_folder() / "AcceptEx.exe"); }

Scenario scenario(const std::string& yaml) {
  auto s = Scenario::from_yaml(yaml);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().describe());
  return s.ok() ? s.value() : Scenario{};
}

// A started emulator and a client for it.
struct Nest {
  explicit Nest(const std::string& yaml = "durations: {pending_ms: 40, starting_ms: 40, running_ms: 40, processing_ms: 40}")
      : emu(Options{samples_dir(), scenario(yaml), false}) {
    auto st = emu.start("127.0.0.1", 0);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().describe());
  }
  httplib::Client client() {
    httplib::Client c("127.0.0.1", emu.port());
    c.set_read_timeout(10, 0);
    return c;
  }
  httplib::Result get(const std::string& path, const httplib::Headers& h = {}) { return client().Get(path, h); }
  httplib::Result create(const std::string& content, const std::string& name = "AcceptEx.exe",
                         std::map<std::string, std::string> fields = {}, const httplib::Headers& h = {}) {
    httplib::MultipartFormDataItems items = {{"file", content, name, "application/octet-stream"}};
    for (const auto& [k, v] : fields) items.push_back({k, v, "", ""});
    return client().Post("/apiv2/tasks/create/file/", h, items);
  }
  int64_t create_id(std::map<std::string, std::string> fields = {}) {
    auto r = create(sample_bytes(), "AcceptEx.exe", std::move(fields));
    EXPECT_TRUE(r && r->status == 200);
    if (!r) return -1;
    auto j = Value::parse(r->body);
    EXPECT_TRUE(j.contains("data")) << r->body;
    return j.contains("data") ? j["data"]["task_ids"][0].get<int64_t>() : -1;
  }
  Value view(int64_t id) {
    auto r = get("/apiv2/tasks/view/" + std::to_string(id) + "/");
    return r ? Value::parse(r->body) : Value();
  }
  // Polls the view until `status` (or the deadline); returns every status seen, in order, without repeats.
  std::vector<std::string> wait_for(int64_t id, const std::string& status, int ms = 5000) {
    std::vector<std::string> seen;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < deadline) {
      auto v = view(id);
      std::string s = v["data"].value("status", "?");
      if (seen.empty() || seen.back() != s) seen.push_back(s);
      if (s == status) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return seen;
  }
  Emulator emu;
};

Value body(const httplib::Result& r) { return r ? Value::parse(r->body, nullptr, false) : Value(); }

// Zip members (name -> content) of an in-memory zip, in archive order; empty when it is not a zip.
std::vector<std::pair<std::string, std::string>> unzip(const std::string& data) {
  std::vector<std::pair<std::string, std::string>> out;
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(data.data(), data.size(), 0, &err);
  zip_t* za = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : nullptr;
  if (!za) {
    if (src) zip_source_free(src);
    return out;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(za, i, 0, &st);
    std::string content(st.size, '\0');
    if (zip_file_t* f = zip_fopen_index(za, i, 0)) {
      zip_fread(f, content.data(), st.size);
      zip_fclose(f);
    }
    out.emplace_back(st.name, content);
  }
  zip_close(za);
  return out;
}

TEST(NestEmulator, StatusAnswerShape) {
  Nest n;
  auto r = n.get("/apiv2/cuckoo/status/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  auto j = body(r);
  EXPECT_EQ(j.begin().key(), "error");
  EXPECT_EQ(j["error"], false);
  EXPECT_EQ(j["data"]["version"], "2.4-CAPE");
  EXPECT_EQ(j["data"]["machines"]["total"], 3);
  EXPECT_EQ(j["data"]["machines"]["available"], 3);
  for (const char* k : {"total", "pending", "running", "completed", "reported"}) EXPECT_EQ(j["data"]["tasks"][k], 0) << k;
  EXPECT_TRUE(j["data"]["server"]["storage"].contains("used_by"));
}

TEST(NestEmulator, DefaultMachines) {
  Nest n;
  auto j = body(n.get("/apiv2/machines/list/"));
  EXPECT_EQ(j.begin().key(), "data");
  EXPECT_EQ(j["error"], false);
  ASSERT_EQ(j["data"].size(), 3u);
  const std::vector<std::tuple<std::string, std::string, std::string>> expect = {
      {"win10x64", "windows", "x64"}, {"win7x86", "windows", "x86"}, {"ub22x64", "linux", "x64"}};
  for (size_t i = 0; i < 3; ++i) {
    const auto& m = j["data"][i];
    EXPECT_EQ(m["name"], std::get<0>(expect[i]));
    EXPECT_EQ(m["label"], std::get<0>(expect[i]));
    EXPECT_EQ(m["platform"], std::get<1>(expect[i]));
    EXPECT_EQ(m["arch"], std::get<2>(expect[i]));
    EXPECT_EQ(m["tags"], Value::array({std::get<0>(expect[i])}));
    EXPECT_EQ(m["resultserver_port"], "2042");  // a string in CAPE
    EXPECT_EQ(m["reserved"], false);
  }
  auto v = body(n.get("/apiv2/machines/view/win7x86/"));
  EXPECT_EQ(v["data"]["arch"], "x86");
  EXPECT_EQ(body(n.get("/apiv2/machines/view/nope/"))["error_value"], "Machine not found");
}

TEST(NestEmulator, ScenarioReplacesMachines) {
  Nest n("machines:\n  - {name: w11, platform: windows, arch: x64, tags: [x64, w11]}\n");
  auto j = body(n.get("/apiv2/machines/list/"));
  ASSERT_EQ(j["data"].size(), 1u);
  EXPECT_EQ(j["data"][0]["name"], "w11");
  EXPECT_EQ(j["data"][0]["tags"], Value::array({"x64", "w11"}));
}

TEST(NestEmulator, DjangoRouting) {
  Nest n;
  auto r = n.get("/apiv2/machines/list");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(r->get_header_value("Location"), "/apiv2/machines/list/");
  auto p = n.client().Post("/apiv2/tasks/create/file", "", "application/x-www-form-urlencoded");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, 500);
  EXPECT_NE(p->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(p->body.find("RuntimeError"), std::string::npos);
  auto nf = n.get("/apiv2/tasks/view/abc/");
  ASSERT_TRUE(nf);
  EXPECT_EQ(nf->status, 404);
  EXPECT_NE(nf->body.find("Page not found"), std::string::npos);
  EXPECT_EQ(n.get("/apiv2/tasks/reboot/1/")->status, 404);  // not a CAPE route
  auto m = n.client().Post("/apiv2/machines/list/", "", "application/x-www-form-urlencoded");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 405);
  EXPECT_EQ(body(m)["detail"], "Method \"POST\" not allowed.");
  EXPECT_EQ(m->get_header_value("Allow"), "GET, OPTIONS");
  EXPECT_EQ(n.get("/apiv2/")->status, 200);
  // DRF content negotiation: HTML only when asked for HTML alone.
  auto html = n.get("/apiv2/cuckoo/status/", {{"Accept", "text/html"}});
  EXPECT_NE(html->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_EQ(n.get("/apiv2/cuckoo/status/", {{"Accept", "application/json"}})->get_header_value("Content-Type"),
            "application/json");
}

TEST(NestEmulator, CreateRecordsFormAndAnswers) {
  Nest n;
  auto r = n.create(sample_bytes(), "AcceptEx.exe",
                    {{"options", "free=yes,nohuman=true"}, {"timeout", "90"}, {"tags", "win10x64"}, {"tlp", "AMBER"},
                     {"enforce_timeout", "true"}, {"clock", "01-24-2001 14:41:20"}, {"route", "inetsim"}});
  auto j = body(r);
  EXPECT_EQ(j["error"], false);
  EXPECT_EQ(j["data"]["task_ids"], Value::array({1}));
  EXPECT_EQ(j["data"]["message"], "Task ID 1 has been submitted");
  EXPECT_EQ(j["errors"], Value::array());
  EXPECT_EQ(j["url"][0], "http://example.tld/submit/status/1/");
  auto calls = n.emu.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].endpoint, "tasks/create/file");
  EXPECT_EQ(calls[0].form.at("options"), "free=yes,nohuman=true");
  EXPECT_EQ(calls[0].form.at("timeout"), "90");
  EXPECT_EQ(calls[0].file_name, "AcceptEx.exe");
  EXPECT_EQ(calls[0].file_sha256, kSha);
  EXPECT_EQ(calls[0].task_id, 1);
  auto v = n.view(1)["data"];
  EXPECT_EQ(v["timeout"], 90);
  EXPECT_EQ(v["options"], "free=yes,nohuman=true");
  EXPECT_EQ(v["enforce_timeout"], true);
  EXPECT_EQ(v["clock"], "2001-01-24 14:41:20");
  EXPECT_EQ(v["tlp"], "AMBER");
  EXPECT_EQ(v["route"], "inetsim");
  EXPECT_EQ(v["tags"], Value::array({"win10x64"}));
  EXPECT_EQ(v["sample"]["sha256"], kSha);
  EXPECT_EQ(v["target"], "AcceptEx.exe");
  // Introspection over HTTP.
  auto ic = body(n.get("/_emulator/calls"));
  EXPECT_EQ(ic["counts"]["tasks/create/file"], 1);
  EXPECT_EQ(ic["calls"][0]["form"]["tlp"], "AMBER");
  auto it = body(n.get("/_emulator/tasks"));
  EXPECT_EQ(it["tasks"][0]["sha256"], kSha);
  EXPECT_EQ(it["tasks"][0]["sample_folder"], kSha);
}

TEST(NestEmulator, CreateErrors) {
  Nest n;
  auto nofile = n.client().Post("/apiv2/tasks/create/file/", httplib::MultipartFormDataItems{{"options", "x=1", "", ""}});
  EXPECT_EQ(body(nofile)["error_value"], "No file was submitted");
  auto badvm = body(n.create(sample_bytes(), "a.exe", {{"machine", "nosuchvm"}}));
  EXPECT_EQ(badvm["error"], true);
  EXPECT_EQ(badvm["error_value"], "Machine 'nosuchvm' does not exist. Available: win10x64, win7x86, ub22x64");
  auto badtag = body(n.create(sample_bytes(), "a.exe", {{"tags", "x64,x86"}}));
  EXPECT_EQ(badtag["error_value"], "Error adding task to database");
  EXPECT_EQ(badtag["errors"][0]["a.exe"]["error"],
            "Check Tags help, you have introduced incorrect tag(s). Your tags: x64,x86 - Supported tags: "
            "win10x64,win7x86,ub22x64");
  auto empty = body(n.create("", "e.exe"));
  EXPECT_EQ(empty["errors"][0]["e.exe"], "You uploaded an empty file.");
  EXPECT_EQ(body(n.create(sample_bytes(), "a.exe", {{"machine", "all"}}))["error_value"],
            "Machine=all is disabled using the API");
}

TEST(NestEmulator, StateProgressionWithGuest) {
  Nest n("durations: {pending_ms: 150, starting_ms: 150, running_ms: 150, processing_ms: 150}");
  const int64_t id = n.create_id();
  auto v = n.view(id)["data"];
  EXPECT_EQ(v["status"], "pending");
  EXPECT_EQ(v["guest"], Value::object());
  EXPECT_TRUE(v["machine"].is_null());
  bool saw_starting = false, saw_running_guest = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::vector<std::string> seen;
  while (std::chrono::steady_clock::now() < deadline) {
    auto d = n.view(id)["data"];
    const std::string s = d["status"];
    if (seen.empty() || seen.back() != s) seen.push_back(s);
    if (s == "running" && d["guest"].value("status", "") == "starting") saw_starting = true;
    if (s == "running" && d["guest"].value("status", "") == "running") saw_running_guest = true;
    if (s == "reported") {
      EXPECT_FALSE(d["completed_on"].is_null());
      EXPECT_EQ(d["machine"], "win10x64");
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"pending", "running", "completed", "reported"}));
  EXPECT_TRUE(saw_starting);
  EXPECT_TRUE(saw_running_guest);
  EXPECT_EQ(body(n.get("/apiv2/tasks/status/" + std::to_string(id) + "/"))["data"], "reported");
  EXPECT_EQ(body(n.get("/apiv2/cuckoo/status/"))["data"]["tasks"]["reported"], 1);
}

TEST(NestEmulator, MissingTask) {
  Nest n;
  EXPECT_EQ(body(n.get("/apiv2/tasks/view/99/"))["error_value"], "Task not found in database");
  EXPECT_EQ(body(n.get("/apiv2/tasks/status/99/"))["error_value"], "Task does not exist");
  EXPECT_EQ(body(n.get("/apiv2/tasks/get/report/99/lite/zip/"))["error_value"], "Task does not exist");
}

TEST(NestEmulator, Search) {
  Nest n;
  auto none = body(n.get("/apiv2/tasks/search/sha256/" + kSha + "/"));
  EXPECT_EQ(none.dump(), R"({"data":[],"error":false})");
  n.create_id();
  n.create_id();
  auto hits = body(n.get("/apiv2/tasks/search/sha256/" + kSha + "/"));
  ASSERT_EQ(hits["data"].size(), 2u);
  EXPECT_EQ(hits["data"][0]["id"], 2);  // newest first
  EXPECT_FALSE(hits["data"][0].contains("guest"));
  EXPECT_FALSE(hits["data"][0].contains("sample"));  // 2025 items carry no sample
  std::string upper = kSha;
  for (auto& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_EQ(body(n.get("/apiv2/tasks/search/sha256/" + upper + "/"))["data"].size(), 0u);
  auto md5 = body(n.get("/apiv2/tasks/search/md5/213544d8a3dca20a511eeef1123c1059/"));
  EXPECT_EQ(md5["data"].size(), 2u);
}

TEST(NestEmulator, LiteZipEqualsReportFolder) {
  Nest n;
  const int64_t id = n.create_id();
  EXPECT_EQ(body(n.get("/apiv2/tasks/get/report/" + std::to_string(id) + "/lite/zip/"))["error_value"],
            "Task is still being analyzed");
  n.wait_for(id, "reported");
  auto r = n.get("/apiv2/tasks/get/report/" + std::to_string(id) + "/lite/zip/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/zip");
  EXPECT_EQ(r->get_header_value("Content-Disposition"), "attachment; filename=lite.zip");
  auto members = unzip(r->body);
  std::map<std::string, std::string> expected;
  const fs::path report = sample_folder() / "Report";
  for (const auto& e : fs::recursive_directory_iterator(report))
    if (e.is_regular_file())
      expected[fs::relative(e.path(), report).generic_string()] = alcape::testing::read_file(e.path());
  ASSERT_EQ(members.size(), expected.size());
  for (const auto& [name, content] : members) {
    ASSERT_TRUE(expected.count(name)) << name;
    EXPECT_TRUE(expected[name] == content) << name;
  }
  EXPECT_EQ(members.back().first, "reports/lite.json");
  // `lite/` without zip is the same bundle; litereport is the plain JSON.
  EXPECT_EQ(unzip(n.get("/apiv2/tasks/get/report/" + std::to_string(id) + "/lite/")->body).size(), expected.size());
  auto plain = n.get("/apiv2/tasks/get/report/" + std::to_string(id) + "/litereport/");
  EXPECT_EQ(plain->body, expected["reports/lite.json"]);
  EXPECT_EQ(body(n.get("/apiv2/tasks/get/report/" + std::to_string(id) + "/bogus/"))["error_value"],
            "Invalid report format specified");
  EXPECT_EQ(n.emu.call_count("tasks/report", id), 5u);
}

TEST(NestEmulator, Delete) {
  Nest n;
  const int64_t id = n.create_id();
  const std::string sid = std::to_string(id);
  auto early = body(n.get("/apiv2/tasks/delete/" + sid + "/"));
  EXPECT_EQ(early.dump(), R"({"error":true,"failed":"Task(s) ID(s) )" + sid + R"( failed to remove"})");
  n.wait_for(id, "reported");
  auto ok = body(n.get("/apiv2/tasks/delete/" + sid + "/"));
  EXPECT_EQ(ok.dump(), R"({"data":"Task(s) ID(s) )" + sid + R"( has been deleted"})");  // no error key
  EXPECT_EQ(body(n.get("/apiv2/tasks/view/" + sid + "/"))["error_value"], "Task not found in database");
  // With the status suffix a non-reported task can be deleted.
  const int64_t id2 = n.create_id();
  auto pend = body(n.get("/apiv2/tasks/delete/" + std::to_string(id2) + "/pending/"));
  EXPECT_EQ(pend["data"], "Task(s) ID(s) " + std::to_string(id2) + " has been deleted");
}

TEST(NestEmulator, CapeDefaultSwitches) {
  Nest n("api_conf: cape_defaults\n");
  EXPECT_EQ(body(n.get("/apiv2/machines/list/"))["error_value"], "Machine list API is disabled");
  EXPECT_EQ(body(n.get("/apiv2/cuckoo/status/"))["error_value"], "Cuckoo Status API is disabled");
  EXPECT_EQ(body(n.get("/apiv2/tasks/delete/1/"))["error_value"], "Task Deletion API is Disabled");
  Nest m("enabled: {filecreate: false, taskview: false, taskreport: false, tasksearch: false}\n");
  EXPECT_EQ(body(m.create(sample_bytes()))["error_value"], "File Create API is Disabled");
  EXPECT_EQ(body(m.get("/apiv2/tasks/view/1/"))["error_value"], "Task View API is Disabled");
  EXPECT_EQ(body(m.get("/apiv2/tasks/get/report/1/lite/zip/"))["error_value"], "Task Report API is Disabled");
  EXPECT_EQ(body(m.get("/apiv2/tasks/search/sha256/" + kSha + "/"))["error_value"], "Task Search API is Disabled");
}

// `unique` (per call) and [uniq_submission] enabled (for everybody): a sha256 already submitted is refused in
// `errors`; other files, staff users and deleted tasks are not (cape-api.md §2.4 step 4, §6 item 6).
TEST(NestEmulator, CreateUnique) {
  Nest n("tokens: [{key: user, rate: ''}, {key: boss, staff: true}]\n");
  const httplib::Headers user = {{"Authorization", "Token user"}}, boss = {{"Authorization", "Token boss"}};
  EXPECT_EQ(body(n.create(sample_bytes(), "a.exe", {{"unique", "true"}}, user))["error"], false);  // first: accepted
  auto dup = body(n.create(sample_bytes(), "b.exe", {{"unique", "yes"}}, user));
  EXPECT_EQ(dup["error"], true);
  EXPECT_EQ(dup["error_value"], "Error adding task to database");
  EXPECT_EQ(dup["errors"][0]["b.exe"],
            "Duplicated file, disable unique option on submit or in conf/web.conf to force submission");
  EXPECT_EQ(body(n.create(sample_bytes(), "b.exe", {{"unique", "no"}}, user))["error"], false);  // force_bool
  EXPECT_EQ(body(n.create(sample_bytes(), "b.exe", {}, user))["error"], false);
  EXPECT_EQ(body(n.create("other bytes", "c.txt", {{"unique", "1"}}, user))["error"], false);
  EXPECT_EQ(body(n.create(sample_bytes(), "b.exe", {{"unique", "on"}}, boss))["error"], false);  // staff bypass
  EXPECT_EQ(n.emu.call_count("tasks/create/file"), 6u);

  Nest everybody("uniq_submission: true\n");
  EXPECT_EQ(body(everybody.create(sample_bytes()))["error"], false);
  EXPECT_EQ(body(everybody.create(sample_bytes()))["errors"][0]["AcceptEx.exe"],
            "Duplicated file, disable unique option on submit or in conf/web.conf to force submission");

  // A deleted task no longer counts (CAPE removes it from the database).
  Nest del("durations: {pending_ms: 1, starting_ms: 1, running_ms: 1, processing_ms: 1}\n");
  const int64_t id = del.create_id();
  del.wait_for(id, "reported");
  EXPECT_TRUE(body(del.get("/apiv2/tasks/delete/" + std::to_string(id) + "/")).contains("data"));
  EXPECT_EQ(body(del.create(sample_bytes(), "a.exe", {{"unique", "true"}}))["error"], false);
}

// web.conf max_sample_size: CAPE's answer in `errors`, sizes in MiB as Python's "{:,.0f}" prints them; nginx's
// client_max_body_size: a 413 HTML page before Django (cape-api.md §2.4 step 4, §6 item 14, §8 item 10).
TEST(NestEmulator, CreateSizeLimits) {
  Nest n("max_sample_size: 1000000\n");
  const std::string big(2621440, 'A');  // 2.5 MiB: rounds half to even, to 2
  auto r = body(n.create(big, "big.bin"));
  EXPECT_EQ(r["error_value"], "Error adding task to database");
  EXPECT_EQ(r["errors"][0]["big.bin"],
            "Uploaded file exceeds the maximum allowed size in conf/web.conf. Sample size is: 2 Allowed size is: 1");
  EXPECT_EQ(body(n.create(std::string(1000000, 'A'), "ok.bin"))["error"], false);  // the limit itself passes

  Nest huge("max_sample_size: 3000000000\nmax_upload_bytes: 1000\n");
  auto too_large = huge.create(std::string(2000, 'B'), "b.bin");
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  EXPECT_NE(too_large->body.find("<title>413 Request Entity Too Large</title>"), std::string::npos) << too_large->body;
  EXPECT_NE(too_large->body.find("<center>nginx</center>"), std::string::npos);
  EXPECT_EQ(huge.emu.calls().back().status, 413);
  EXPECT_EQ(huge.emu.calls().back().fault, "upload_too_large");
  EXPECT_EQ(huge.get("/apiv2/cuckoo/status/")->status, 200);  // small requests pass
  EXPECT_EQ(body(huge.create(std::string(100, 'B'), "s.bin"))["error"], false);
  EXPECT_EQ(Scenario{}.max_sample_size, 30000000);  // web.conf.default
  EXPECT_EQ(Scenario{}.max_upload_bytes, 0);
}

TEST(NestEmulator, TokenAuth) {
  Nest n("tokens: [{key: abc, staff: true}]\n");
  auto none = n.get("/apiv2/cuckoo/status/");
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(body(none)["detail"], "Authentication credentials were not provided.");
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Token");
  auto bearer = n.get("/apiv2/cuckoo/status/", {{"Authorization", "Bearer abc"}});
  EXPECT_EQ(body(bearer)["detail"], "Authentication credentials were not provided.");
  auto bad = n.get("/apiv2/cuckoo/status/", {{"Authorization", "Token nope"}});
  EXPECT_EQ(bad->status, 401);
  EXPECT_EQ(body(bad)["detail"], "Invalid token.");
  EXPECT_EQ(n.get("/apiv2/cuckoo/status/", {{"Authorization", "Token abc"}})->status, 200);
  EXPECT_EQ(n.get("/apiv2/cuckoo/status/", {{"Authorization", "token abc"}})->status, 200);
  EXPECT_EQ(n.emu.calls().back().authorization, "token abc");
  EXPECT_EQ(body(n.get("/apiv2/cuckoo/status/", {{"Authorization", "Token"}}))["detail"],
            "Invalid token header. No credentials provided.");
  Nest k("tokens: [{key: old, state: revoked}, {key: nope, state: forbidden}]\n");
  auto revoked = k.get("/apiv2/cuckoo/status/", {{"Authorization", "Token old"}});
  EXPECT_EQ(revoked->status, 401);
  EXPECT_EQ(body(revoked)["detail"], "API key has been revoked.");
  auto forbidden = k.get("/apiv2/cuckoo/status/", {{"Authorization", "Token nope"}});
  EXPECT_EQ(forbidden->status, 403);
  EXPECT_EQ(body(forbidden)["detail"], "You do not have permission to perform this action.");
}

TEST(NestEmulator, ThrottlingPerUserStaffExempt) {
  Nest n("tokens: [{key: user, rate: 2/m}, {key: boss, staff: true}]\n");
  const httplib::Headers user = {{"Authorization", "Token user"}};
  EXPECT_EQ(n.get("/apiv2/cuckoo/status/", user)->status, 200);
  EXPECT_EQ(n.get("/apiv2/machines/list/", user)->status, 200);  // one budget across endpoints
  auto r = n.get("/apiv2/cuckoo/status/", user);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->get_header_value("Retry-After"), "60");
  EXPECT_EQ(body(r)["detail"], "Request was throttled. Expected available in 60 seconds.");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(n.get("/apiv2/cuckoo/status/", {{"Authorization", "Token boss"}})->status, 200);
}

TEST(NestEmulator, Profile2026) {
  Nest n("profile: '2026'\ndurations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n");
  auto st = body(n.get("/apiv2/cuckoo/status/"));
  EXPECT_EQ(st["error"], Value::array());
  EXPECT_EQ(st["data"]["version"], "2.5");
  EXPECT_EQ(body(n.create(sample_bytes()))["error"], Value::array());
  auto v = n.view(1)["data"];
  EXPECT_FALSE(v.contains("shrike_url"));
  EXPECT_FALSE(v.contains("username"));
  EXPECT_FALSE(v["sample"].contains("parent"));
  EXPECT_TRUE(body(n.get("/apiv2/tasks/search/sha256/" + kSha + "/"))["data"][0].contains("sample"));
  n.wait_for(1, "reported");
  auto bad = n.get("/apiv2/tasks/get/report/1/bogus/");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(body(bad)["error_value"], "Report format not found: bogus");
  EXPECT_EQ(n.get("/apiv2/tasks/delete/5-3/")->status, 400);
}

TEST(NestEmulator, Profile2025View) {
  Nest n;
  n.create_id();
  auto v = n.view(1)["data"];
  EXPECT_TRUE(v.contains("shrike_url"));
  EXPECT_EQ(v["username"], "0");
  EXPECT_TRUE(v["sample"].contains("parent"));
}

TEST(NestEmulator, ScenarioErrors) {
  EXPECT_FALSE(Scenario::from_yaml("faults: [{kind: explode}]").ok());
  EXPECT_FALSE(Scenario::from_yaml("faults: [{kind: delay, endpoint: tasks/nothing}]").ok());
  EXPECT_FALSE(Scenario::from_yaml("profile: 1999").ok());
  EXPECT_FALSE(Scenario::from_yaml("enabled: {nosuch: true}").ok());
  EXPECT_FALSE(Scenario::from_yaml("[1, 2").ok());
  Emulator e(Options{samples_dir(), scenario("fallback_sample: nosuch"), false});
  EXPECT_FALSE(e.start("127.0.0.1", 0).ok());
  Emulator public_ip(Options{samples_dir(), Scenario{}, false});
  EXPECT_FALSE(public_ip.start("0.0.0.0", 0).ok());
}

// ---- faults

TEST(NestEmulatorFaults, ErrorOn200TwiceThenWorks) {
  Nest n("faults: [{endpoint: machines/list, kind: error_200, times: 2, message: boom}]\n");
  EXPECT_EQ(body(n.get("/apiv2/machines/list/")).dump(), R"({"error":true,"error_value":"boom"})");
  EXPECT_EQ(body(n.get("/apiv2/machines/list/"))["error"], true);
  EXPECT_EQ(body(n.get("/apiv2/machines/list/"))["error"], false);
  EXPECT_EQ(n.emu.calls()[0].fault, "error_200");
}

TEST(NestEmulatorFaults, SkipThenFault) {
  Nest n("faults: [{endpoint: cuckoo/status, kind: http_status, status: 502, skip: 1, times: 1}]\n");
  EXPECT_EQ(n.get("/apiv2/cuckoo/status/")->status, 200);
  auto r = n.get("/apiv2/cuckoo/status/");
  EXPECT_EQ(r->status, 502);
  EXPECT_NE(r->body.find("<center>nginx</center>"), std::string::npos);
  EXPECT_EQ(n.get("/apiv2/cuckoo/status/")->status, 200);
}

TEST(NestEmulatorFaults, Html500) {
  Nest n("faults: [{endpoint: tasks/view, kind: http_status, status: 500}]\n");
  auto r = n.get("/apiv2/tasks/view/1/");
  EXPECT_EQ(r->status, 500);
  EXPECT_NE(r->get_header_value("Content-Type").find("text/html"), std::string::npos);
}

TEST(NestEmulatorFaults, TransientTaskNotFoundPerTask) {
  Nest n("faults: [{endpoint: tasks/view, kind: task_not_found, times: 2, per_task: true}]\n");
  const int64_t a = n.create_id();
  const int64_t b = n.create_id();
  EXPECT_EQ(n.view(a)["error_value"], "Task not found in database");
  EXPECT_EQ(n.view(a)["error_value"], "Task not found in database");
  EXPECT_EQ(n.view(a)["data"]["id"], a);
  EXPECT_EQ(n.view(b)["error_value"], "Task not found in database");
  Nest mt("profile: '2026'\nmultitenancy: true\n");
  auto r = mt.get("/apiv2/tasks/view/7/");
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(body(r)["error_value"], "Task not found");
}

TEST(NestEmulatorFaults, ResetBeforeAnswer) {
  Nest n("faults: [{endpoint: cuckoo/status, kind: reset, times: 1}]\n");
  auto r = n.get("/apiv2/cuckoo/status/");
  EXPECT_FALSE(r);
  EXPECT_EQ(n.get("/apiv2/cuckoo/status/")->status, 200);
  EXPECT_EQ(n.emu.calls()[0].status, 0);
}

TEST(NestEmulatorFaults, CloseWithoutAnswer) {
  Nest n("faults: [{endpoint: any, kind: close, times: 1}]\n");
  EXPECT_FALSE(n.get("/apiv2/machines/list/"));
  EXPECT_TRUE(n.get("/apiv2/machines/list/"));
}

TEST(NestEmulatorFaults, ResetMidBody) {
  Nest n("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n"
         "faults: [{endpoint: tasks/report, kind: reset, after_bytes: 1000, times: 1}]\n");
  const int64_t id = n.create_id();
  n.wait_for(id, "reported");
  auto r = n.get("/apiv2/tasks/get/report/" + std::to_string(id) + "/lite/zip/");
  EXPECT_FALSE(r && r->body.size() > 1000);  // the client sees an error or a short body, never the full zip
  auto ok = n.get("/apiv2/tasks/get/report/" + std::to_string(id) + "/lite/zip/");
  ASSERT_TRUE(ok);
  EXPECT_FALSE(unzip(ok->body).empty());
}

TEST(NestEmulatorFaults, DelayMakesClientTimeOut) {
  Nest n("faults: [{endpoint: cuckoo/status, kind: delay, delay_ms: 1500, times: 1}]\n");
  auto c = n.client();
  c.set_read_timeout(0, 300000);
  EXPECT_FALSE(c.Get("/apiv2/cuckoo/status/"));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(n.get("/apiv2/cuckoo/status/")->status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));
}

TEST(NestEmulatorFaults, StopCutsDelaysShort) {
  auto n = std::make_unique<Nest>("faults: [{kind: delay, delay_ms: 60000}]\n");
  std::thread t([&] { n->get("/apiv2/cuckoo/status/"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto t0 = std::chrono::steady_clock::now();
  n->emu.stop();
  t.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

TEST(NestEmulator, StopIsQuickWithIdleKeepAliveConnection) {
  Nest n;
  httplib::Client c("127.0.0.1", n.emu.port());
  c.set_keep_alive(true);
  ASSERT_TRUE(c.Get("/apiv2/cuckoo/status/"));
  auto t0 = std::chrono::steady_clock::now();
  n.emu.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1000));
}

TEST(NestEmulatorFaults, SlowReport) {
  Nest n("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n"
         "faults: [{endpoint: tasks/report, kind: slow_report, delay_ms: 400}]\n");
  const int64_t id = n.create_id();
  n.wait_for(id, "reported");
  auto t0 = std::chrono::steady_clock::now();
  auto r = n.get("/apiv2/tasks/get/report/" + std::to_string(id) + "/lite/zip/");
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(400));
  ASSERT_TRUE(r);
  EXPECT_FALSE(unzip(r->body).empty());
}

TEST(NestEmulatorFaults, ThrottleBurst) {
  Nest n("faults: [{endpoint: tasks/view, kind: throttle, retry_after: 1, times: 1}]\n");
  auto r = n.get("/apiv2/tasks/view/1/");
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->get_header_value("Retry-After"), "1");
  EXPECT_EQ(body(r)["detail"], "Request was throttled. Expected available in 1 second.");
}

TEST(NestEmulatorFaults, FailedAnalysisAndProcessing) {
  Nest n("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n"
         "faults: [{endpoint: tasks/create/file, kind: failed_analysis, times: 1},\n"
         "         {endpoint: tasks/create/file, kind: failed_processing, skip: 1, times: 1, message: 'processing crashed'}]\n");
  const int64_t a = n.create_id();
  const int64_t p = n.create_id();
  const int64_t ok = n.create_id();
  n.wait_for(a, "failed_analysis");
  auto va = n.view(a)["data"];
  EXPECT_EQ(va["status"], "failed_analysis");
  EXPECT_EQ(va["errors"], Value::array({"Analysis failed: machine not found"}));
  n.wait_for(p, "failed_processing");
  EXPECT_EQ(n.view(p)["data"]["errors"], Value::array({"processing crashed"}));
  EXPECT_EQ(body(n.get("/apiv2/tasks/get/report/" + std::to_string(a) + "/lite/zip/"))["error_value"], "Task failed");
  EXPECT_EQ(n.wait_for(ok, "reported").back(), "reported");
  // The failed task is deleted with its status as suffix.
  auto del = body(n.get("/apiv2/tasks/delete/" + std::to_string(a) + "/failed_analysis/"));
  EXPECT_TRUE(del.contains("data"));
}

// cape-api.md §1.7: pending -> banned (the user was banned); pending -> recovered (rescheduled as task N: the
// view and the report answer task N's data while task N exists, the status endpoint the task's own state).
TEST(NestEmulatorFaults, BannedAndRecoveredTimelines) {
  Nest n("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n"
         "faults: [{endpoint: tasks/create/file, kind: banned, times: 1},\n"
         "         {endpoint: tasks/create/file, kind: recovered, skip: 1, times: 1}]\n");
  const int64_t b = n.create_id();
  EXPECT_EQ(n.wait_for(b, "banned"), (std::vector<std::string>{"pending", "banned"}));
  EXPECT_EQ(n.view(b)["data"]["machine"], nullptr);
  EXPECT_EQ(body(n.get("/apiv2/tasks/get/report/" + std::to_string(b) + "/lite/zip/"))["error_value"],
            "Task is still being analyzed");

  const int64_t r = n.create_id();
  const int64_t successor = r + 1;  // made by the reschedule
  EXPECT_EQ(n.wait_for(r, "reported").back(), "reported");  // through the pivot
  auto v = n.view(r)["data"];
  EXPECT_EQ(v["id"], successor);
  auto own = body(n.get("/apiv2/tasks/status/" + std::to_string(r) + "/"));
  EXPECT_EQ(own["data"], "recovered");
  auto zip = n.get("/apiv2/tasks/get/report/" + std::to_string(r) + "/lite/zip/");
  ASSERT_TRUE(zip);
  EXPECT_EQ(zip->body.compare(0, 4, "PK\x03\x04"), 0);
  auto search = body(n.get("/apiv2/tasks/search/sha256/" + kSha + "/"));
  bool pointer = false;
  for (const auto& t : search["data"])
    pointer = pointer || (t["id"] == r && t["custom"] == "Recovery_" + std::to_string(successor));
  EXPECT_TRUE(pointer) << search.dump();
  // Without task N the recovered task answers for itself and is never reported.
  EXPECT_TRUE(body(n.get("/apiv2/tasks/delete/" + std::to_string(successor) + "/")).contains("data"));
  EXPECT_EQ(n.view(r)["data"]["status"], "recovered");
  EXPECT_EQ(body(n.get("/apiv2/tasks/get/report/" + std::to_string(r) + "/lite/zip/"))["error_value"],
            "Task is still being analyzed");

  // Delete checks the status of the task pivoted to (reported) and deletes the one named.
  Nest d("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n"
         "faults: [{endpoint: tasks/create/file, kind: recovered}]\n");
  const int64_t old_id = d.create_id();
  d.wait_for(old_id, "reported");
  EXPECT_EQ(body(d.get("/apiv2/tasks/delete/" + std::to_string(old_id) + "/"))["data"],
            "Task(s) ID(s) " + std::to_string(old_id) + " has been deleted");
  EXPECT_EQ(d.view(old_id + 1)["data"]["status"], "reported");  // task N stays
}

TEST(NestEmulatorFaults, UnserviceableGoesFailedAnalysis) {
  Nest n("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n");
  const int64_t id = n.create_id({{"tags", "ub22x64"}});  // a PE on the linux VM's tag: no machine fits
  EXPECT_EQ(n.wait_for(id, "failed_analysis").back(), "failed_analysis");
  EXPECT_EQ(n.view(id)["data"]["errors"], Value::array());
}

TEST(NestEmulatorFaults, ZipFaults) {
  Nest n("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n"
         "faults:\n"
         "  - {endpoint: tasks/report, kind: missing_lite, times: 1}\n"
         "  - {endpoint: tasks/report, kind: truncated_zip, fraction: 0.5, skip: 1, times: 1}\n"
         "  - {endpoint: tasks/report, kind: zip_traversal, skip: 2, times: 1}\n"
         "  - {endpoint: tasks/report, kind: zip_bomb, bomb_mb: 4, skip: 3, times: 1}\n");
  const int64_t id = n.create_id();
  n.wait_for(id, "reported");
  const std::string path = "/apiv2/tasks/get/report/" + std::to_string(id) + "/lite/zip/";
  auto missing = unzip(n.get(path)->body);
  ASSERT_FALSE(missing.empty());
  for (const auto& [name, c] : missing) EXPECT_NE(name, "reports/lite.json");
  auto truncated = n.get(path);
  EXPECT_EQ(truncated->status, 200);
  EXPECT_TRUE(unzip(truncated->body).empty());
  auto hostile = unzip(n.get(path)->body);
  bool traversal = false;
  for (const auto& [name, c] : hostile) traversal = traversal || name.rfind("../", 0) == 0;
  EXPECT_TRUE(traversal);
  auto bomb = n.get(path);
  EXPECT_LT(bomb->body.size(), 3u << 20);
  bool has_bomb = false;
  for (const auto& [name, c] : unzip(bomb->body)) has_bomb = has_bomb || (name == "bomb.bin" && c.size() == (4u << 20));
  EXPECT_TRUE(has_bomb);
}

TEST(NestEmulatorFaults, NoAnalysisDirByProfile) {
  Nest n("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n"
         "faults: [{endpoint: tasks/report, kind: no_analysis_dir}]\n");
  const int64_t id = n.create_id();
  n.wait_for(id, "reported");
  auto r = n.get("/apiv2/tasks/get/report/" + std::to_string(id) + "/lite/zip/");
  EXPECT_EQ(r->status, 500);
  EXPECT_NE(r->body.find("FileNotFoundError"), std::string::npos);
}

TEST(NestEmulatorFaults, MachineMissing) {
  Nest n("faults: [{kind: machine_missing, machine: win7x86}]\n");
  auto list = body(n.get("/apiv2/machines/list/"));
  EXPECT_EQ(list["data"].size(), 2u);
  EXPECT_EQ(body(n.create(sample_bytes(), "a.exe", {{"machine", "win7x86"}}))["error_value"],
            "Machine 'win7x86' does not exist. Available: win10x64, ub22x64");
}

TEST(NestEmulatorFaults, HostDownRefuses) {
  Nest n("host_down: refuse\n");
  EXPECT_GT(n.emu.port(), 0);
  auto r = n.get("/apiv2/cuckoo/status/");
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error(), httplib::Error::Connection);
}

TEST(NestEmulatorFaults, HostDownCloses) {
  Nest n("host_down: close\n");
  EXPECT_FALSE(n.get("/apiv2/cuckoo/status/"));
}

TEST(NestEmulatorSamples, UnknownSampleFailsOrFallsBack) {
  Nest n("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n");
  auto r = body(n.create("MZ not a recorded sample", "x.exe"));
  const int64_t id = r["data"]["task_ids"][0];
  EXPECT_EQ(n.wait_for(id, "failed_processing").back(), "failed_processing");
  Nest f("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\nfallback_sample: " + kSha + "\n");
  auto r2 = body(f.create("MZ not a recorded sample", "x.exe"));
  const int64_t id2 = r2["data"]["task_ids"][0];
  EXPECT_EQ(f.wait_for(id2, "reported").back(), "reported");
  EXPECT_FALSE(unzip(f.get("/apiv2/tasks/get/report/" + std::to_string(id2) + "/lite/zip/")->body).empty());
}

// tasks/reboot is not a CAPE endpoint (cape-api.md §2): Django's 404 page, unless the scenario patches it in.
TEST(NestEmulatorReboot, StockNestAnswersTheNotFoundPage) {
  Nest n;
  const int64_t id = n.create_id();
  n.wait_for(id, "reported");
  auto r = n.get("/apiv2/tasks/reboot/" + std::to_string(id) + "/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_EQ(n.emu.call_count("other"), 1u);
}

TEST(NestEmulatorReboot, PatchedNestCreatesARebootTask) {
  Nest n("reboot_endpoint: true\ndurations: {pending_ms: 20, starting_ms: 20, running_ms: 20, processing_ms: 20}");
  const int64_t id = n.create_id();
  // Not before the task is reported (validate_task).
  auto early = body(n.get("/apiv2/tasks/reboot/" + std::to_string(id) + "/"));
  EXPECT_EQ(early["error"], true) << early.dump();
  n.wait_for(id, "reported");
  auto ok = body(n.get("/apiv2/tasks/reboot/" + std::to_string(id) + "/"));
  ASSERT_EQ(ok["error"], false) << ok.dump();
  EXPECT_EQ(ok["task_id"], id);
  const int64_t rid = ok["reboot_id"].get<int64_t>();
  EXPECT_GT(rid, id);
  EXPECT_EQ(n.wait_for(rid, "reported").back(), "reported");
  EXPECT_EQ(n.emu.call_count("tasks/reboot", id), 2u);
  auto missing = body(n.get("/apiv2/tasks/reboot/999/"));
  EXPECT_EQ(missing["error"], true);
}

}  // namespace
}  // namespace alcape::emulators::nest
