#pragma once
// The layout of a target folder, shared by the deployers that keep releases
// on this machine:
//
//   ROOT/releases/<release id>/        one release: exactly the deployed subtree
//   ROOT/releases/.<release id>.commit the full commit id it was made from
//   ROOT/releases/.<release id>.stat   its snapshot when it went live (release_snapshot.hpp)
//   ROOT/releases/.<release id>.partial a release still being written
//   ROOT/current -> releases/<id>      what is live (a relative symlink)
//
// A release gets its final name only when it is complete and on disk, and
// `current` is switched with rename(2) and then synced, so a crash or a power
// cut at any instant leaves either the old or the new release live, never a
// half-written one.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/util/error.hpp"
#include "deployers/release_snapshot.hpp"

namespace pushgate {

// A kept release.
struct Release {
  std::string id;      // the folder name
  std::string commit;  // full hex, or the 12 hex of the name if its .commit file is missing
  std::string tree;    // the deployed tree's id where the target records it (ssh hosts), else ""
};

class ReleaseFolder {
 public:
  explicit ReleaseFolder(std::filesystem::path root);

  const std::filesystem::path& root() const { return m_root; }
  std::filesystem::path release_path(const std::string& id) const;
  // Where release `id` is written before it is complete.
  std::filesystem::path partial_path(const std::string& id) const;

  // Creates ROOT/releases if needed and removes what an interrupted deploy
  // left: partial releases and a stray temporary link. Errors name the path.
  Expected<bool> prepare() const;
  // Records `commit` for release `id` and gives the partial release its
  // final name.
  Expected<bool> complete(const std::string& id, const std::string& commit) const;
  // Records what release `id` holds now as its snapshot, for drift checks.
  Expected<bool> record_snapshot(const std::string& id) const;
  // The snapshot recorded for release `id`; nullopt when there is none or
  // it cannot be read (a release made before snapshots were kept).
  std::optional<Snapshot> recorded_snapshot(const std::string& id) const;
  // Makes release `id` live: ROOT/current is replaced atomically.
  Expected<bool> switch_to(const std::string& id) const;
  // Removes ROOT/current: nothing is live.
  Expected<bool> clear_live() const;
  // Removes release `id`; never the live one.
  Expected<bool> remove(const std::string& id) const;
  // Removes the oldest releases beyond the newest `keep`, but never the live
  // one nor the one before it (the rollback target). Returns the ids removed.
  std::vector<std::string> prune(std::size_t keep) const;

  // The live release; nullopt when ROOT/current is missing or dangling.
  std::optional<Release> live() const;
  // Kept releases, newest first. Folders whose names are not release ids
  // are left alone and not listed.
  std::vector<Release> releases() const;

 private:
  std::filesystem::path commit_file(const std::string& id) const;
  std::filesystem::path snapshot_file(const std::string& id) const;
  Release release(const std::string& id) const;

  std::filesystem::path m_root;
};

// The parts of a release id `<YYYYmmddTHHMMSSZ>-<12 hex>-j<job>[-r<n>][-a<n>]`
// that order releases; nullopt for a name that is not one.
struct ReleaseName {
  std::string stamp;
  std::uint64_t job = 0;
  std::uint64_t run = 0;
  std::uint64_t attempt = 0;
  std::string commit;  // the 12 hex
  // Older first: by time, then job, re-run and attempt.
  auto operator<=>(const ReleaseName&) const = default;
};
std::optional<ReleaseName> parse_release_name(const std::string& id);

// Whether a kept release's commit `kept` is `wanted`, which may be
// abbreviated to no fewer than 7 hex digits (as `rollback --to` takes it).
bool same_commit(const std::string& kept, const std::string& wanted);

}  // namespace pushgate
