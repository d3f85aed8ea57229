// The CAPE client over HTTPS: a self-signed certificate made in the test (OpenSSL), served by httplib::SSLServer
// on loopback. Verification on by default rejects it; the CA bundle makes it pass; verify_tls=false skips it.
#include "nest/client.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

namespace alcape::nest {
namespace {

namespace fs = std::filesystem;

// Writes a self-signed certificate for 127.0.0.1 and its key as PEM files.
bool make_self_signed(const fs::path& cert_path, const fs::path& key_path) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (!key) return false;
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                                   std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  bool ok = X509_sign(cert, key, EVP_sha256()) > 0;
  FILE* c = std::fopen(cert_path.c_str(), "w");
  FILE* k = std::fopen(key_path.c_str(), "w");
  ok = ok && c && k && PEM_write_X509(c, cert) && PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
  if (c) std::fclose(c);
  if (k) std::fclose(k);
  X509_free(cert);
  EVP_PKEY_free(key);
  return ok;
}

class TlsNest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("alcape-tls-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    ASSERT_TRUE(make_self_signed(dir_ / "cert.pem", dir_ / "key.pem"));
    server_ = std::make_unique<httplib::SSLServer>((dir_ / "cert.pem").c_str(), (dir_ / "key.pem").c_str());
    server_->Get("/apiv2/cuckoo/status/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"error":false,"data":{"tasks":{"pending":0}}})", "application/json");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  config::Host host() const {
    config::Host h;
    h.base_url = "https://127.0.0.1:" + std::to_string(port_);
    h.token = "t";
    return h;
  }
  ClientOptions options() const {
    ClientOptions o;
    o.attempts = 1;
    o.connect_timeout = std::chrono::milliseconds(2000);
    o.call_timeout = std::chrono::milliseconds(2000);
    return o;
  }
  fs::path dir_;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(TlsNest, VerificationRejectsAnUntrustedCertificate) {
  Client c(host(), options());
  auto s = c.cuckoo_status();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConnect);
}

TEST_F(TlsNest, CaBundleMakesItPass) {
  config::Host h = host();
  h.ca_bundle = (dir_ / "cert.pem").string();
  Client c(h, options());
  auto s = c.cuckoo_status();
  ASSERT_TRUE(s.ok()) << s.error().describe();
}

TEST_F(TlsNest, VerifyTlsFalseSkipsVerification) {
  config::Host h = host();
  h.verify_tls = false;
  Client c(h, options());
  EXPECT_TRUE(c.cuckoo_status().ok());
}

}  // namespace
}  // namespace alcape::nest
