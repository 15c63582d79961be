#pragma once
// Writes new objects as one pack instead of loose objects. libgit2 writes a
// loose object into objects/xx/, making that folder with the umask's mode
// and ignoring core.sharedRepository; a pack goes into objects/pack/, which
// git made with the repository's shared mode, so no folder is ever created
// and pushers of the group can always add objects after the daemon did.

#include <git2.h>
#include <sys/types.h>

#include <memory>
#include <vector>

#include "core/util/error.hpp"
#include "core/git/git.hpp"

namespace pushgate {

class PackWriter {
 public:
  // A repository view of `repo`'s objects whose writes stay in memory.
  // Packs are written with `pack_mode` (git's is 0444, less what
  // core.sharedRepository takes away). Throws Failure (ErrorCode::git) when
  // it cannot be set up.
  PackWriter(git_repository* repo, mode_t pack_mode);
  ~PackWriter();
  PackWriter(const PackWriter&) = delete;
  PackWriter& operator=(const PackWriter&) = delete;

  // Reads every object of the repository; writes (blobs, trees, commits)
  // are kept until flush(). Owned by this writer. It has no refs and no
  // config: use the real repository for those.
  git_repository* objects() const { return m_view.get(); }
  // Stores the objects `written` (ids of objects written through
  // objects()) as one pack in the real repository, then forgets what was
  // written. Only these are packed: git_mempack_dump would pack the whole
  // tree of every commit, all notes included. Throws Failure naming what failed.
  void flush(const std::vector<git_oid>& written);

 private:
  git_repository* m_repo;
  mode_t m_pack_mode;
  git::OdbPtr m_odb;
  git_odb_backend* m_memory = nullptr;  // owned by m_odb
  git::RepositoryPtr m_view;
};

}  // namespace pushgate
