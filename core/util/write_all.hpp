#pragma once

#include <string_view>

namespace pushgate {

// Writes all of `data` to `fd` with as few write(2) calls as the kernel
// allows (one, for a pipe or an O_APPEND file, so lines stay whole beside
// other writers), going on after short writes and signals. False, with errno
// set, when a write fails.
bool write_all(int fd, std::string_view data);

}  // namespace pushgate
