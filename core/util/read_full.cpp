#include "core/util/read_full.hpp"

#include <unistd.h>

#include <cerrno>

namespace pushgate {

ssize_t read_full(int fd, char* data, std::size_t size) {
  std::size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, data + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  return static_cast<ssize_t>(got);
}

}  // namespace pushgate
