// Stand-in for src/config while the "plan" branch is not merged: the declared functions with the struct
// defaults, enough for the service runtime to build and run with a fake pipeline. CMake links it only when
// src/config has no sources.
#include "config/service_config.hpp"

namespace alcape::config {

std::string Host::api_root() const {
  return base_url.empty() ? "http://" + ip + ":" + std::to_string(port) + "/apiv2/" : base_url + "/apiv2/";
}
std::string Host::label() const { return base_url.empty() ? ip + ":" + std::to_string(port) : base_url; }
ServiceConfig default_config() { return ServiceConfig{}; }
StatusOr<ServiceConfig> parse_config(const json::Value&) { return default_config(); }
StatusOr<ServiceConfig> load_config_file(const std::string&) { return default_config(); }
SubmissionParams default_submission_params() { return json::Value::object(); }
Status apply_param(SubmissionParams& params, const std::string& name, const std::string& value) {
  params[name] = value;
  return Status();
}
StatusOr<SubmissionParams> parse_submission_params(const json::Value& given) {
  return given.is_object() ? given : json::Value::object();
}

}  // namespace alcape::config
