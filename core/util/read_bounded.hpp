#pragma once
// A file read whole from one open when it is small enough: its size comes
// from the open descriptor, so a file too large is refused before it is
// loaded, and its path is looked up once, not once for a stat and again
// for the read.

#include <cstdint>
#include <optional>
#include <string>

#include "core/util/error.hpp"

namespace pushgate {

struct BoundedRead {
  std::uint64_t size = 0;            // the file's size in bytes
  std::optional<std::string> bytes;  // its content; nullopt when `size` is over the limit asked
};

// Reads the file at `path` (through a symbolic link) when it holds at most
// `limit` bytes. A file that reports no size (/proc) or grows while it is
// read is read on, but never past `limit` + 1 bytes. An error names the
// path and the reason.
Expected<BoundedRead> read_bounded(const std::string& path, std::uint64_t limit);

}  // namespace pushgate
