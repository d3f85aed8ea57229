#include "data/embedded.hpp"

#include <stdexcept>
#include <string>

namespace alcape::data {

std::string_view file(std::string_view name) {
  auto f = find_file(name);
  if (!f) throw std::runtime_error("embedded data file missing: " + std::string(name));
  return *f;
}

}  // namespace alcape::data
