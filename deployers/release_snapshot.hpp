#pragma once
// What a release folder held when it went live, entry by entry: type,
// permission bits, size and modification time. Kept beside the release as
// releases/.<id>.stat, so a drift check is a metadata walk compared with it,
// and content is re-read only where the metadata differs.
//
// The text form is what GNU find writes for
//   find RELEASE -mindepth 1 -printf '%y %m %s %T@ %P\0'
// so a host of a fleet makes its own snapshot with one command; a snapshot
// is only ever compared with one made the same way on the same machine.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "core/util/error.hpp"

namespace pushgate {

struct SnapshotEntry {
  char type = 'f';         // 'f' file, 'd' folder, 'l' symlink, other letters as find's %y
  unsigned mode = 0;       // permission bits
  std::uint64_t size = 0;  // bytes (a symlink: its target's length)
  std::string mtime;       // "SECONDS.FRACTION", compared as text
  bool operator==(const SnapshotEntry&) const = default;
};

// Entries by path relative to the release, '/'-separated.
using Snapshot = std::map<std::string, SnapshotEntry>;

// The find(1) arguments after the folder that print a snapshot.
inline constexpr std::string_view k_snapshot_find_format = "%y %m %s %T@ %P\\0";

// Walks `dir` without following symlinks. An Error (ErrorCode::io) names
// the path that cannot be read.
Expected<Snapshot> snapshot_folder(const std::filesystem::path& dir);

// "TYPE MODE SIZE MTIME PATH\0" per entry, MODE in octal.
std::string serialize(const Snapshot& snapshot);
// Reads what serialize (or find) wrote; ErrorCode::input for anything else,
// including an unsafe path ('..', absolute, empty parts).
Expected<Snapshot> parse_snapshot(std::string_view text);

}  // namespace pushgate
