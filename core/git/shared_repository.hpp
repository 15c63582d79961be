#pragma once
// core.sharedRepository, honoured the way git honours it. In a repository
// made with `git init --shared=group` every pusher writes objects and refs
// as their own user; a folder that one account makes without group write
// (libgit2 and a plain mkdir follow the umask) makes later pushes of the
// others fail ("unable to migrate objects to permanent storage"). So what
// pushgate creates inside a repository gets git's modes: git's
// calc_shared_perm and adjust_shared_perm, in C++.

#include <git2.h>
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/error.hpp"

namespace pushgate {

class SharedRepository {
 public:
  // Not shared: the umask decides (core.sharedRepository unset, false or umask).
  SharedRepository() = default;

  // Parses a core.sharedRepository value as git does: group/true/1 (group
  // read and write), all/world/everybody/2 (and read for others), a 0xxx
  // octal mode (exactly those bits; the owner must have read and write),
  // umask/false/0. nullopt, with `error` set, for a value git rejects.
  static std::optional<SharedRepository> parse(std::string_view value, std::string* error = nullptr);
  // The setting of `repo` (all config levels). An invalid value is an
  // ErrorCode::config error naming it.
  static Expected<SharedRepository> of(git_repository* repo);

  bool shared() const { return m_perm != 0; }
  // The mode git gives a file or folder that was created with `mode`.
  mode_t adjusted(mode_t mode) const;
  // chmod(2)s `path` to adjusted(its mode) if that differs, as git does
  // after creating something. False (errno set) when it cannot.
  bool adjust(const std::filesystem::path& path) const;
  // Creates `base`/`relative` and the folders between, each adjusted;
  // folders that exist are adjusted when their mode lacks bits and this
  // account owns them. Errors name the folder.
  Expected<bool> make_folders(const std::filesystem::path& base, const std::filesystem::path& relative) const;

 private:
  explicit SharedRepository(int perm) : m_perm(perm) {}
  // git's encoding: 0 umask, > 0 bits to add (0660, 0664), < 0 -(the exact mode).
  int m_perm = 0;
};

}  // namespace pushgate
