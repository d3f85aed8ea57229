// Data tables shipped inside the binary. The files live in the repository's data/ folder (see data/NOTICE.md);
// cmake/EmbedData.cmake compiles them in so that al-cape needs no data directory at run time.
#pragma once

#include <optional>
#include <string_view>

namespace alcape::data {

// Content of data/<name>, or nullopt when no such file was embedded.
std::optional<std::string_view> find_file(std::string_view name);

// Content of data/<name>; throws std::runtime_error naming the file when it is missing (a build error).
std::string_view file(std::string_view name);

}  // namespace alcape::data
