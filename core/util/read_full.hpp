#pragma once

#include <sys/types.h>

#include <cstddef>

namespace pushgate {

// Reads into `data` until `size` bytes are there or the file ends, going on
// after short reads and signals. The number of bytes read (less than `size`
// only at the end of the file), or -1 with errno set.
ssize_t read_full(int fd, char* data, std::size_t size);

}  // namespace pushgate
