// net::perform against an in-test fake upstream: the bodies and headers the Assemblyline side sends (raw file
// upload, JSON body) and the abort flag. The CAPE side (multipart, statuses, timeouts,
// resets) is covered through the nest client in nest_client_test.cpp.
#include "net/http_client.hpp"
#include "support/fake_upstream.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace alcape::net {
namespace {

using alcape::testing::FakeUpstream;
using alcape::testing::Reply;

std::string url(const FakeUpstream& up, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(up.port()) + path;
}

TEST(NetHttpClient, PutSendsAFileAsTheRawBodyWithItsHeaders) {
  FakeUpstream up([](const auto&) { return Reply{}; });
  alcape::testing::TempDir tmp("alcape_net");
  const std::string content(300 * 1024, 'z');
  std::ofstream(tmp.path / "f.bin", std::ios::binary) << content;
  HttpRequest req;
  req.method = "PUT";
  req.url = url(up, "/api/v1/file/");
  req.upload_file = tmp.path / "f.bin";
  req.headers = {{"Sha256", "abc"}, {"Is-Section-Image", "False"}};
  auto r = perform(req, "upload");
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->status, 200);
  ASSERT_EQ(up.count(), 1u);
  const auto got = up.requests()[0];
  EXPECT_EQ(got.method, "PUT");
  EXPECT_EQ(got.body.size(), content.size());
  EXPECT_TRUE(got.body == content);
  EXPECT_EQ(got.headers.at("Sha256"), "abc");
  EXPECT_EQ(got.headers.at("Is-Section-Image"), "False");
  EXPECT_FALSE(got.headers.count("Expect"));  // no 100-continue round trip
}

TEST(NetHttpClient, PostAndPutSendTheBodyText) {
  FakeUpstream up([](const auto&) { return Reply{}; });
  for (const char* method : {"POST", "PUT"}) {
    HttpRequest req;
    req.method = method;
    req.url = url(up, "/api/v1/task/");
    req.body = R"({"k": "v"})";
    req.headers = {{"Content-Type", "application/json"}};
    ASSERT_TRUE(perform(req, "post").ok());
    EXPECT_EQ(up.requests().back().method, method);
    EXPECT_EQ(up.requests().back().body, R"({"k": "v"})");
  }
}

TEST(NetHttpClient, AMissingFileToUploadIsUnreadable) {
  FakeUpstream up([](const auto&) { return Reply{}; });
  HttpRequest req;
  req.method = "PUT";
  req.url = url(up, "/api/v1/file/");
  req.upload_file = "/nonexistent/alcape/file.bin";
  auto r = perform(req, "upload");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnreadable);
  EXPECT_EQ(up.count(), 0u);
}

TEST(NetHttpClient, TheAbortFlagEndsAWaitingCallAsCancelled) {
  FakeUpstream up([](const auto&) {
    Reply slow;
    slow.delay_ms = 2000;
    return slow;
  });
  std::atomic<bool> abort{false};
  HttpRequest req;
  req.url = url(up, "/api/v1/task/");
  req.abort = &abort;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    abort = true;
  });
  const auto t0 = std::chrono::steady_clock::now();
  auto r = perform(req, "get task");
  stopper.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(r.error().context, "get task");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));  // not the server's 2 s
}

}  // namespace
}  // namespace alcape::net
