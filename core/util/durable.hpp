#pragma once
// Making what was written survive a power cut, not only a crash of the
// process: data reaches the disk before the name that makes it visible.

#include <filesystem>

#include "core/util/error.hpp"

namespace pushgate {

// fsync of a folder: the names created or renamed in it are on disk. On
// journaling file systems this also commits the removal of an old name that
// the same rename replaced.
Expected<bool> sync_dir(const std::filesystem::path& dir);

// syncfs(2) of the file system holding `path`: every file written there is on
// disk. One call for a whole release instead of one fsync per file.
Expected<bool> sync_filesystem(const std::filesystem::path& path);

}  // namespace pushgate
