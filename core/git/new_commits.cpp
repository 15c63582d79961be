#include "core/git/new_commits.hpp"

#include <fmt/format.h>

#include <memory>
#include <string>

#include "core/git/git.hpp"

namespace pushgate::git {

namespace {

using RevwalkPtr = std::unique_ptr<git_revwalk, Deleter<git_revwalk, git_revwalk_free>>;

Expected<RevwalkPtr> new_walk(git_repository* repo) {
  git_revwalk* raw = nullptr;
  if (git_revwalk_new(&raw, repo) < 0) return git_failure("cannot walk the history");
  RevwalkPtr walk(raw);
  // Topological order, reversed: every commit comes after its parents, so a
  // secret added and then removed is reported at the commit that added it.
  git_revwalk_sorting(raw, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
  return walk;
}

// Drains `walk` into a list, refusing more than `max_count` commits.
Expected<std::vector<git_oid>> collect(git_revwalk* walk, std::size_t max_count, std::string_view what) {
  std::vector<git_oid> out;
  git_oid id;
  int rc;
  while ((rc = git_revwalk_next(&id, walk)) == 0) {
    if (out.size() == max_count) {
      std::size_t total = out.size() + 1;
      while (git_revwalk_next(&id, walk) == 0) ++total;
      return Error{ErrorCode::input,
                   fmt::format("{} has {} new commits, more than the {} pushgate checks at once; push it in "
                               "smaller parts",
                               what, total, max_count)};
    }
    out.push_back(id);
  }
  if (rc != GIT_ITEROVER) return git_failure(fmt::format("cannot walk the commits of {}", what));
  return out;
}

}  // namespace

Expected<std::vector<git_oid>> new_commits(git_repository* repo, const std::vector<git_oid>& tips,
                                           std::size_t max_count) {
  auto walk = new_walk(repo);
  if (!walk) return walk.error();
  for (const git_oid& tip : tips)
    if (git_revwalk_push(walk->get(), &tip) < 0) return git_failure(fmt::format("cannot read commit {}", to_hex(tip)));
  // Every ref, peeled; those that name no commit (a tag of a blob) are skipped.
  if (git_revwalk_hide_glob(walk->get(), "refs/*") < 0) return git_failure("cannot read the repository's refs");
  return collect(walk->get(), max_count, "the push");
}

Expected<std::vector<git_oid>> commits_in_range(git_repository* repo, std::string_view range, std::size_t max_count) {
  auto walk = new_walk(repo);
  if (!walk) return walk.error();
  std::string spec(range);
  if (spec.find("..") != std::string::npos) {
    if (git_revwalk_push_range(walk->get(), spec.c_str()) < 0)
      return Error{ErrorCode::usage, git_failure(fmt::format("cannot resolve the range '{}'", spec)).message};
    return collect(walk->get(), max_count, fmt::format("'{}'", spec));
  }
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, (spec + "^{commit}").c_str()) < 0)
    return Error{ErrorCode::usage, git_failure(fmt::format("cannot resolve '{}' to a commit", spec)).message};
  ObjectPtr commit(raw);
  return std::vector<git_oid>{*git_object_id(raw)};
}

}  // namespace pushgate::git
