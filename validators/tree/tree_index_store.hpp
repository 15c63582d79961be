#pragma once
// The saved TreeIndex of recently pushed trees: one file per tree id in
// GIT_DIR/pushgate/trees/, the newest few kept. Loading and saving never fail
// a push: a missing, damaged or stale index only means reading more files.

#include <git2.h>

#include <optional>
#include <string>
#include <vector>

#include "core/git/shared_repository.hpp"
#include "validators/tree/tree_index.hpp"

namespace pushgate {

class TreeIndexStore {
 public:
  // Indexes made under another fingerprint (index_fingerprint) are ignored.
  // What is saved gets `shared`'s modes: every pusher of a group-shared
  // repository saves here as their own user.
  TreeIndexStore(std::string git_dir, std::string fingerprint, SharedRepository shared = {});

  std::optional<TreeIndex> load(const git_oid& tree) const;
  // Tree ids that have an index, newest first.
  std::vector<git_oid> recent() const;
  // Saves the index of `tree` (written whole, then renamed into place, so a
  // reader never sees half of one) unless it is there already, then removes
  // the oldest beyond the number kept.
  void save(const git_oid& tree, const ObjectIndex& index) const;

  const std::string& fingerprint() const { return m_fingerprint; }

 private:
  std::string m_git_dir;  // ends with a slash
  std::string m_dir;
  std::string m_fingerprint;
  SharedRepository m_shared;
};

}  // namespace pushgate
