#include "core/error_policy.hpp"
#include "core/shared_library.hpp"
#include "net/curl_api.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace alcape {
namespace {

TEST(SharedLibrary, BindsAFunctionByName) {
  auto libc = SharedLibrary::open("libc.so.6");
  ASSERT_TRUE(libc.ok()) << libc.error().describe();
  decltype(&std::strlen) fn = nullptr;
  ASSERT_TRUE(libc->bind("strlen", fn).ok());
  EXPECT_EQ(fn("four"), 4u);
}

TEST(SharedLibrary, MissingLibraryIsNamed) {
  auto lib = SharedLibrary::open("libalcape-does-not-exist.so.7");
  ASSERT_FALSE(lib.ok());
  EXPECT_EQ(lib.error().code, ErrorCode::kMissingLibrary);
  EXPECT_EQ(lib.error().context, "libalcape-does-not-exist.so.7");
  EXPECT_NE(lib.error().message.find("cannot load"), std::string::npos);
}

TEST(SharedLibrary, MissingFunctionIsNamed) {
  auto libc = SharedLibrary::open("libc.so.6");
  ASSERT_TRUE(libc.ok());
  void (*fn)() = nullptr;
  Status s = libc->bind("alcape_no_such_function", fn);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kMissingLibrary);
  EXPECT_NE(s.error().describe().find("libc.so.6: lacks the function alcape_no_such_function"), std::string::npos);
  EXPECT_EQ(fn, nullptr);
}

TEST(CurlApi, LoadsEveryFunctionOfTheInstalledLibcurl) {
  auto api = net::curl_api();
  ASSERT_TRUE(api.ok()) << api.error().describe();
  CURL* h = (*api)->easy_init();
  ASSERT_NE(h, nullptr);
  EXPECT_EQ((*api)->easy_setopt(h, CURLOPT_URL, "http://127.0.0.1:1/"), CURLE_OK);
  (*api)->easy_cleanup(h);
  EXPECT_STREQ((*api)->easy_strerror(CURLE_OK), "No error");
}

TEST(CurlApi, AbsentLibcurlIsAClearNonRecoverableError) {
  auto api = net::load_curl_api("libcurl-alcape-absent.so.4");
  ASSERT_FALSE(api.ok());
  EXPECT_EQ(api.error().code, ErrorCode::kMissingLibrary);
  EXPECT_EQ(api.error().context, "libcurl-alcape-absent.so.4");
  EXPECT_EQ(on_task_failure(api.error().code), Disposition::kNonRecoverable);
}

}  // namespace
}  // namespace alcape
