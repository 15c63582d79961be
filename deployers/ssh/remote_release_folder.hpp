#pragma once
// The release layout of deployers/release_folder.hpp on a host, through one
// SSH connection:
//
//   DIR/releases/<id>/            one release: exactly the deployed subtree
//   DIR/releases/.<id>.commit     the full commit id it was made from
//   DIR/releases/.<id>.manifest   its entries (release_manifest.hpp)
//   DIR/releases/.<id>.stat       its snapshot when it went live (release_snapshot.hpp)
//   DIR/releases/.<id>.partial/   a release still being written
//   DIR/current -> releases/<id>  what is live, replaced by rename
//
// A new release starts as a hard-linked copy of the live one made on the
// host (`cp -al`, GNU coreutils); what changed is deleted from it and sent
// by SFTP, so unchanged files cost nothing on the wire. Every file sent is
// created anew (never written through a link), so the live release is never
// touched. A live release that drifted from its snapshot (or has none) is
// not reused: the release is sent whole. The host needs a POSIX shell, GNU
// coreutils (cp -al, mv -T), GNU find and an SFTP server (OpenSSH's
// sftp-server or internal-sftp).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/util/error.hpp"
#include "deployers/release_folder.hpp"
#include "deployers/release_snapshot.hpp"
#include "deployers/ssh/release_manifest.hpp"
#include "deployers/ssh/ssh_connection.hpp"

namespace pushgate::ssh {

// What writing one release on a host cost.
struct ReleaseUpload {
  bool reused_live = false;      // started from a hard-linked copy of the live release
  std::size_t files_sent = 0;    // files and symlinks created by SFTP
  std::size_t files_kept = 0;    // reused from the live release
  std::size_t removed = 0;       // entries of the copy deleted as changed or gone
  std::uint64_t bytes_sent = 0;  // file content sent
};

class RemoteReleaseFolder {
 public:
  // `connection` must outlive the folder; `root` is DIR on the host, an
  // absolute path; `timeout` bounds each remote command.
  RemoteReleaseFolder(Connection& connection, std::string root, std::chrono::milliseconds timeout);

  const std::string& root() const { return m_root; }
  std::string release_path(const std::string& id) const;

  // Every operation returns an Error naming the host and path on failure.
  // Creates DIR/releases and removes what an interrupted deploy left.
  Expected<bool> prepare();
  // Writes release `id` of `commit` from `staged` (the release as written
  // locally by materialize_tree, which refused hostile paths) whose entries
  // are `manifest`, reusing `live`'s files where its manifest says they are
  // equal, and gives it its final name. On failure the partial release is
  // left for prepare() to remove.
  Expected<ReleaseUpload> write_release(const std::string& id, const std::string& commit, const Manifest& manifest,
                                        const std::filesystem::path& staged, const std::optional<Release>& live);
  // Makes release `id` live: DIR/current replaced by one rename(2).
  Expected<bool> switch_to(const std::string& id);
  // Removes DIR/current: nothing is live.
  Expected<bool> clear_live();
  // Removes release `id`, never the live one.
  Expected<bool> remove(const std::string& id);
  // As ReleaseFolder::prune: the oldest beyond `keep`, never the live one nor
  // the one before it. Returns the ids removed.
  Expected<std::vector<std::string>> prune(std::size_t keep);

  // The live release; nullopt when DIR/current is missing or dangling.
  Expected<std::optional<Release>> live();
  // Kept releases, newest first.
  Expected<std::vector<Release>> releases();

  // Records what release `id` holds now as its snapshot, made on the host.
  Expected<bool> record_snapshot(const std::string& id);
  // What release `id` holds now.
  Expected<Snapshot> snapshot(const std::string& id);
  // The snapshot recorded for release `id`; nullopt when there is none.
  Expected<std::optional<Snapshot>> recorded_snapshot(const std::string& id);
  // The content of `path` in release `id`, at most `max_size` bytes; for a
  // symlink, its target.
  Expected<std::string> read_entry(const std::string& id, const std::string& path, bool symlink,
                                   std::size_t max_size);
  // "user@host:port" for messages.
  std::string label() const;

 private:
  std::string in_releases(const std::string& name) const;
  Expected<SftpClient*> sftp();
  // Runs a fixed command on the host; the Error carries its output.
  Expected<bool> run(const std::vector<std::string>& argv, const std::string& cwd = "");
  Expected<Release> release(const std::string& id);
  // Runs find(1) over release `id`, writing a snapshot to `file` on the host.
  Expected<bool> find_into(const std::string& id, const std::string& file);
  // Whether release `id` still holds exactly what its snapshot says.
  bool intact(const std::string& id);
  Expected<bool> send(const ManifestEntry& entry, const std::string& partial,
                      const std::filesystem::path& staged, ReleaseUpload& upload);

  Connection& m_connection;
  std::string m_root;
  std::chrono::milliseconds m_timeout;
};

}  // namespace pushgate::ssh
