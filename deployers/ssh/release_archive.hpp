#pragma once
// The entries of a release that a host lacks, as one tar archive: written
// once per deploy straight from the object database (blob_content.hpp; no
// copy of the release on this machine), then streamed into `tar -x` on
// every host that needs the same entries (remote_release_folder.hpp). GNU format: ustar headers, and GNU long-name
// records for names over 100 bytes, so every name arrives byte for byte
// without the charset conversion pax names get; the hosts run GNU tar.

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "core/util/error.hpp"
#include "deployers/release_scan.hpp"
#include "deployers/ssh/command_input.hpp"
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

// Called with the bytes of the archive written so far, each time more are;
// false stops the writing (an Error).
using ArchiveProgress = std::function<bool(std::uint64_t written)>;

// Writes `entries` (folders before what they hold) of `release`, read from
// `repo`, into a new file `archive`. Folders get mode 0777, files 0666 or,
// for git's 100755, 0777, so the host's umask applies as with the local
// deployer; owner 0 and time 0 (the host's tar is told to ignore both).
// A name that is not safe_relative_path is ErrorCode::input, an entry that
// `release` does not hold as such ErrorCode::internal, both naming the path;
// blobs that cannot be read as copy_blob says; then no archive is left.
Expected<ArchiveSize> write_release_archive(git_repository* repo, const ReleaseContent& release,
                                            const Manifest& entries, const std::filesystem::path& archive,
                                            const ArchiveProgress& progress = {});

// An archive written by write_release_archive on a thread of its own, read
// by hosts while it grows: the first megabytes travel while later blobs are
// still read from the object database, and every host that needs the same
// entries reads the same file.
class GrowingArchive {
 public:
  // Starts writing `entries` of `release` into the new file `archive`;
  // the thread opens the repository at `git_dir` for itself (libgit2
  // handles are not shared between threads). `release` must outlive the
  // archive. An Error when the thread cannot start.
  static Expected<std::unique_ptr<GrowingArchive>> start(const std::string& git_dir, const ReleaseContent& release,
                                                         Manifest entries, std::filesystem::path archive);
  // Stops the writing if it still runs, and waits for the thread.
  ~GrowingArchive();
  GrowingArchive(const GrowingArchive&) = delete;
  GrowingArchive& operator=(const GrowingArchive&) = delete;

  // A reader from the first byte, for one thread; it waits for bytes still
  // being written and ends where the archive ends, or with the writer's Error.
  std::unique_ptr<CommandInput> reader() const;
  // What the archive holds, once it is complete (waits for that), or why it failed.
  Expected<ArchiveSize> size() const;

 private:
  class Reader;
  explicit GrowingArchive(std::filesystem::path archive) : m_path(std::move(archive)) {}
  // Waits until more than `offset` bytes are written or the writing ended:
  // the bytes written then, or the writer's Error.
  Expected<std::uint64_t> written_beyond(std::uint64_t offset) const;

  std::filesystem::path m_path;
  mutable std::mutex m_mutex;
  mutable std::condition_variable m_changed;
  std::uint64_t m_written = 0;
  bool m_stop = false;
  std::optional<Expected<ArchiveSize>> m_result;  // set when the writing ended
  std::thread m_thread;
};

}  // namespace pushgate::ssh
