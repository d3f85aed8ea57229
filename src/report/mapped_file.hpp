// A read-only memory mapping of a file. Pages already read can be released (drop_before) so that reading a
// large report front to back keeps only a window of it resident, not the whole file.
#pragma once

#include "core/status.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace alcape::report {

class MappedFile {
 public:
  static StatusOr<std::unique_ptr<MappedFile>> open(const std::string& path);
  // Maps an open file descriptor (the mapping keeps the data alive after the descriptor is closed).
  static StatusOr<std::unique_ptr<MappedFile>> from_fd(int fd, const std::string& name);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  // Tells the kernel the bytes before `offset` will not be read again (they leave the resident set).
  void drop_before(size_t offset);

 private:
  MappedFile(const char* data, size_t size) : data_(data), size_(size) {}
  const char* data_;
  size_t size_;
  size_t dropped_ = 0;
};

}  // namespace alcape::report
