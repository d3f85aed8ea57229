// Reads a CAPE report from a byte buffer front to back, element by element (see json_scan.hpp for why).
// The reader in reader.cpp uses it for files (memory-mapped) and for in-memory text.
#pragma once

#include "core/status.hpp"
#include "report/model.hpp"
#include "report/reader.hpp"

#include <cstddef>
#include <functional>
#include <string>

namespace alcape::report {

// `consumed(offset)` is called from time to time with the number of bytes fully read, so that a caller holding
// a memory mapping can release them.
StatusOr<Report> read_report_buffer(const char* data, size_t size, const ReadOptions& options,
                                    const std::string& context,
                                    const std::function<void(size_t)>& consumed = {});

}  // namespace alcape::report
