#pragma once
// Manifests from a git tree, read with libgit2 (no checkout): what the hook
// and `pushgate validate --rev` validate.

#include <git2.h>

#include <string>
#include <vector>

#include "core/git.hpp"
#include "core/glob.hpp"
#include "validators/manifest.hpp"

namespace pushgate {

class GitTreeSource : public ManifestSource {
 public:
  // Lists the regular files of `tree` that `filter` selects; neither their
  // contents nor their sizes are read until asked for, since a push reads
  // only the few files it changed. Symbolic links and submodules are not
  // manifests and are left out. Throws Failure when the tree cannot be read.
  // `repo` must outlive this object.
  GitTreeSource(git_repository* repo, git_tree* tree, const PathFilter& filter);

  const std::vector<ManifestEntry>& entries() const override { return m_entries; }
  Expected<std::string> read(const ManifestEntry& entry) const override;
  // From the object's header; 0 if the object cannot be read (read() then
  // reports why).
  std::uint64_t size(const ManifestEntry& entry) const override;

 private:
  git_repository* m_repo;
  git::OdbPtr m_odb;
  std::vector<ManifestEntry> m_entries;
};

// Paths of files that differ between two trees (added or modified; deleted
// files need no validation). `old_tree` may be null: every file then counts.
std::vector<std::string> changed_paths(git_repository* repo, git_tree* old_tree, git_tree* new_tree);

}  // namespace pushgate
