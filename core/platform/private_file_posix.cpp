// Owner-only files on Linux, macOS and the other POSIX systems: mode 0600 from open(2).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "platform/private_file.hpp"

namespace peerport::platform {

Status write_private_file(const std::string& path, std::string_view contents) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return make_error(Errc::invalid_value, "cannot create " + path + ": " + std::strerror(errno));
  }
  bool ok = ::write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) return make_error(Errc::invalid_value, "cannot write " + path);
  return Ok{};
}

void make_private_parent_dirs(const std::string& path) {
  for (std::size_t i = 1; i < path.size(); ++i) {
    if (path[i] == '/') ::mkdir(path.substr(0, i).c_str(), 0700);
  }
}

bool is_private_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  return st.st_uid == ::geteuid() && (st.st_mode & (S_IRWXG | S_IRWXO)) == 0;
}

}  // namespace peerport::platform
