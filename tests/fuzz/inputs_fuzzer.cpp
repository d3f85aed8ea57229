// libFuzzer target for what operators and nests hand to al-cape besides reports: YAML documents (service config,
// submission parameters, nest emulator scenarios) and CAPE API answers (the envelope, the create answer's
// messages). Each input must end in a value or an Error naming the problem, never a crash or an exception.
// Build with -DALCAPE_FUZZ=ON (clang); scripts/fuzz-smoke.sh runs it on tests/fuzz/seeds-inputs.
#include "config/service_config.hpp"
#include "core/yaml.hpp"
#include "emulators/nest/scenario.hpp"
#include "nest/client.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace alcape;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  for (bool as_strings : {false, true}) {
    auto doc = yaml::parse(text, "fuzz.yaml", yaml::ParseOptions{.scalars_as_strings = as_strings});
    if (!doc.ok()) continue;
    (void)config::parse_config(doc.value());
    (void)config::parse_submission_params(doc.value());
  }
  (void)emulators::nest::Scenario::from_yaml(text);

  for (long status : {200L, 301L, 404L, 429L, 500L}) {
    (void)nest::decode_answer(status, "application/json", text, "", "fuzz", 5);
    (void)nest::decode_answer(status, "text/html", text, "", "fuzz", 0, /*data_optional=*/true);
  }
  const json::Value answer = json::Value::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!answer.is_discarded()) {
    (void)nest::create_messages(answer);
    if (answer.is_object() && answer.contains("errors")) (void)nest::create_messages(answer["errors"]);
  }
  return 0;
}
