#include "report/mapped_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace alcape::report {

StatusOr<std::unique_ptr<MappedFile>> MappedFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(ErrorCode::kUnreadable, std::string("cannot open file: ") + std::strerror(errno), path);
  auto mapped = from_fd(fd, path);
  ::close(fd);
  return mapped;
}

StatusOr<std::unique_ptr<MappedFile>> MappedFile::from_fd(int fd, const std::string& name) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return make_error(ErrorCode::kUnreadable, std::string("cannot stat file: ") + std::strerror(errno), name);
  if (!S_ISREG(st.st_mode)) return make_error(ErrorCode::kUnreadable, "not a regular file", name);
  size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) return std::unique_ptr<MappedFile>(new MappedFile(nullptr, 0));
  void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) return make_error(ErrorCode::kUnreadable, std::string("cannot map file: ") + std::strerror(errno), name);
  madvise(p, size, MADV_SEQUENTIAL);
  return std::unique_ptr<MappedFile>(new MappedFile(static_cast<const char*>(p), size));
}

MappedFile::~MappedFile() {
  if (data_) munmap(const_cast<char*>(data_), size_);
}

void MappedFile::drop_before(size_t offset) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t end = (offset / page) * page;
  if (end <= dropped_ + (8u << 20)) return;  // release in steps of at least 8 MiB
  madvise(const_cast<char*>(data_) + dropped_, end - dropped_, MADV_DONTNEED);
  dropped_ = end;
}

}  // namespace alcape::report
