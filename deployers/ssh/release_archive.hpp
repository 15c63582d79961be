#pragma once
// The entries of a release that a host lacks, as one tar archive: written
// once per deploy from the release staged on this machine, then streamed
// into `tar -x` on every host that needs the same entries
// (remote_release_folder.hpp). GNU format: ustar headers, and GNU long-name
// records for names over 100 bytes, so every name arrives byte for byte
// without the charset conversion pax names get; the hosts run GNU tar.

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "core/util/error.hpp"
#include "deployers/ssh/release_manifest.hpp"

namespace pushgate::ssh {

// What an archive holds.
struct ArchiveSize {
  std::size_t entries = 0;       // folders, files and symlinks
  std::size_t files = 0;         // files and symlinks
  std::uint64_t content = 0;     // file content bytes
  std::uint64_t archive = 0;     // bytes of the archive itself
};

// Whether `path` is relative, with no empty, '.' or '..' part: a name that
// stays inside the folder it is extracted into.
bool safe_relative_path(std::string_view path);

// Writes `entries` (folders before what they hold) of the release staged at
// `staged` into a new file `archive`. Folders get mode 0777, files 0666 or,
// for git's 100755, 0777, so the host's umask applies as with the local
// deployer; owner 0 and time 0 (the host's tar is told to ignore both).
// Symlinks are written with their staged target. A name that is not
// safe_relative_path is ErrorCode::input and a staged entry that is missing
// or of another kind ErrorCode::io, both naming the path; then no archive is
// left.
Expected<ArchiveSize> write_release_archive(const std::filesystem::path& staged, const Manifest& entries,
                                            const std::filesystem::path& archive);

}  // namespace pushgate::ssh
