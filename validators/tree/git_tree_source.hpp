#pragma once
// Manifests from a git tree, read with libgit2 (no checkout): what the hook
// and `pushgate validate --rev` validate.

#include <git2.h>

#include <string>
#include <vector>

#include "core/git/git.hpp"
#include "validators/manifest.hpp"

namespace pushgate {

class GitTreeSource : public ManifestSource {
 public:
  // Files of a tree listed by diff_trees (tree_diff.hpp), sorted by path,
  // with blob ids as keys; neither their contents nor their sizes are read
  // until asked for. `repo` must outlive this object.
  GitTreeSource(git_repository* repo, std::vector<ManifestEntry> entries);

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

}  // namespace pushgate
