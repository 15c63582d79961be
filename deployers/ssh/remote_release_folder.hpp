#pragma once
// The release layout of deployers/release_folder.hpp on a host, through one
// SSH connection:
//
//   DIR/releases/<id>/            one release: exactly the deployed subtree
//   DIR/releases/.<id>.commit     the full commit id it was made from, then
//                                 "tree <id>": the tree, whose manifest the
//                                 server reads from its own repository
//   DIR/releases/.<id>.stat       its snapshot when it went live (release_snapshot.hpp),
//                                 sorted
//   DIR/releases/.<id>.partial/   a release still being written
//   DIR/current -> releases/<id>  what is live, replaced by rename
//
// A new release starts as a hard-linked copy of the live one made on the
// host (`cp -al`, GNU coreutils); what changed is deleted from it and what
// is new arrives as one tar stream into the host's GNU tar, so unchanged
// files cost nothing on the wire. tar creates every file anew and refuses
// to meet an existing one (--keep-old-files): nothing is written through a
// link into the live release. The host needs a POSIX shell, GNU coreutils
// and GNU tar, and an SFTP server (OpenSSH's sftp-server or internal-sftp)
// for reading what is there.
// A live release that drifted from its snapshot (or has none) is not
// reused: the release is sent whole; the host needs GNU find for that.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/util/error.hpp"
#include "deployers/release_folder.hpp"
#include "deployers/ssh/release_stager.hpp"
#include "deployers/release_snapshot.hpp"
#include "deployers/ssh/ssh_connection.hpp"

namespace pushgate::ssh {

// What writing one release on a host cost.
struct ReleaseUpload {
  bool reused_live = false;         // started from a hard-linked copy of the live release
  std::size_t files_sent = 0;       // files and symlinks in the archive sent
  std::size_t files_kept = 0;       // reused from the live release
  std::size_t removed = 0;          // entries of the copy deleted as changed or gone
  std::uint64_t bytes_sent = 0;     // file content sent
  std::uint64_t archive_bytes = 0;  // the archive sent, headers included
};

class RemoteReleaseFolder {
 public:
  // `connection` must outlive the folder; `root` is DIR on the host, an
  // absolute path; `timeout` bounds each remote command.
  RemoteReleaseFolder(Connection& connection, std::string root, std::chrono::milliseconds timeout);

  const std::string& root() const { return m_root; }
  std::string release_path(const std::string& id) const;

  // Every operation returns an Error naming the host and path on failure.
  // What a write does once the release is complete.
  enum class Then { stay, go_live };
  // Writes release `id` of `commit` as `plan` says: first removes what an
  // interrupted deploy left (partial releases, orphaned records); then from
  // a hard-linked copy of `live` when the plan reuses it (else from
  // nothing), the plan's removals made and its archive extracted by the
  // host's tar, the commit and tree recorded; gives it its final name and,
  // with Then::go_live, makes it live as switch_to does; then removes
  // `old_releases` (see beyond_keep) as remove() does; in one remote command
  // where it can (a host starts the account's shell for each). A host
  // without tar is an error saying so. On failure the partial release is
  // left for the next write to remove.
  Expected<ReleaseUpload> write_release(const std::string& id, const std::string& commit, const ReleasePlan& plan,
                                        const std::optional<Release>& live, Then then,
                                        const std::vector<std::string>& old_releases);
  // Makes release `id` live: DIR/current replaced by one rename(2).
  Expected<bool> switch_to(const std::string& id);
  // Removes DIR/current: nothing is live.
  Expected<bool> clear_live();
  // Removes releases `ids` in one remote command; an error, naming it,
  // rather than remove the live one.
  Expected<bool> remove(const std::vector<std::string>& ids);

  // The live release; nullopt when DIR/current is missing or dangling.
  Expected<std::optional<Release>> live();
  // Kept releases, newest first.
  Expected<std::vector<Release>> releases();
  // Their ids only (one listing, no file read).
  Expected<std::vector<std::string>> release_ids();

  // Records what release `id` holds now as its snapshot, made on the host.
  Expected<bool> record_snapshot(const std::string& id);
  // Whether release `id` still holds exactly what its recorded snapshot
  // says (compared on the host); false when it has none or cannot be read.
  bool intact(const std::string& id);
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
  // Runs a fixed command on the host, `input` (if any) as its stdin; the
  // Error carries its output.
  Expected<bool> run(const std::vector<std::string>& argv, const std::string& cwd = "",
                     CommandInput* input = nullptr);
  Expected<Release> release(const std::string& id);
  // Prints release `id`'s snapshot (sorted, as recorded) into the shell
  // redirection or pipe `sink`, which may name $2 (the id) and $3 (`file`).
  Expected<bool> snapshot_to(const std::string& id, const std::string& sink, const std::string& file = "");

  Connection& m_connection;
  std::string m_root;
  std::chrono::milliseconds m_timeout;
};

// The releases of `kept` (ids, newest first) to remove as a new one is
// written, so that with it `keep` are left as ReleaseFolder::prune leaves
// them: the oldest beyond the newest keep - 1, never `live` (the one before
// the new release, the rollback target). Removed with the write, a deploy
// that then fails leaves one release fewer than before it.
std::vector<std::string> beyond_keep(const std::vector<std::string>& kept, std::size_t keep,
                                     const std::string& live);

}  // namespace pushgate::ssh
