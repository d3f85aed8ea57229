// assemblyline str_utils.truncate(), used on signature mark values and descriptions. (Other Python string
// behaviour: pystr.hpp for lower/strip/len, py_repr.hpp for str() of values.)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace alcape::analysis {

// truncate(s, length): safe_str(s), cut to `length` code points plus "..." when longer.
std::string py_truncate(std::string_view s, size_t length);

}  // namespace alcape::analysis
