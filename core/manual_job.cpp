#include "core/manual_job.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/deploy_status.hpp"
#include "core/git.hpp"
#include "core/repo_config.hpp"

namespace pushgate {

namespace {

using ReferenceIteratorPtr =
    std::unique_ptr<git_reference_iterator, git::Deleter<git_reference_iterator, git_reference_iterator_free>>;

// The commits that branches and tags point at.
std::vector<git_oid> ref_tips(git_repository* repo) {
  std::vector<git_oid> tips;
  git_reference_iterator* raw = nullptr;
  if (git_reference_iterator_glob_new(&raw, repo, "refs/*") < 0) return tips;
  ReferenceIteratorPtr it(raw);
  git_reference* ref = nullptr;
  while (git_reference_next(&ref, raw) == 0) {
    git::ReferencePtr owner(ref);
    std::string_view name = git_reference_name(ref);
    if (!name.starts_with("refs/heads/") && !name.starts_with("refs/tags/")) continue;
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT) < 0) continue;
    git::ObjectPtr commit(peeled);
    tips.push_back(*git_object_id(peeled));
  }
  return tips;
}

Expected<std::string> resolve_commit(git_repository* repo, const std::string& rev) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, (rev + "^{commit}").c_str()) < 0)
    return Error{ErrorCode::usage, fmt::format("'{}' does not name a commit in {}", rev,
                                               git::git_dir(repo))};
  git::ObjectPtr commit(raw);
  git_oid oid = *git_object_id(raw);
  std::vector<git_oid> tips = ref_tips(repo);
  bool is_tip = std::any_of(tips.begin(), tips.end(), [&](const git_oid& t) { return git_oid_equal(&t, &oid); });
  // Objects that no branch or tag reaches were never accepted as part of
  // the project's history (or are on their way to garbage collection).
  if (!is_tip && (tips.empty() || git_graph_reachable_from_any(repo, &oid, tips.data(), tips.size()) != 1))
    return Error{ErrorCode::usage,
                 fmt::format("commit {} ('{}') is not on any branch or tag of {}", git::to_hex(oid), rev,
                             git::git_dir(repo))};
  return git::to_hex(oid);
}

}  // namespace

Expected<Job> make_manual_job(JobKind kind, const std::string& git_dir, const std::string& env,
                              const std::string& rev, const std::string& pusher) {
  auto repo = git::open(git_dir);
  if (!repo) return repo.error();
  auto config = load_repo_config(git::git_dir(repo->get()));
  if (!config) return config.error();
  Job job;
  job.kind = kind;
  job.repo = repo_identity(git::git_dir(repo->get()));
  if (auto known = find_environment(*config, env, job.repo); !known) return known.error();
  job.env = env;
  job.pusher = pusher;
  job.enqueued_at = utc_now();
  if (!rev.empty() || kind != JobKind::rollback) {
    auto commit = resolve_commit(repo->get(), rev.empty() ? "HEAD" : rev);
    if (!commit) return commit.error();
    job.commit = *commit;
  }
  return job;
}

}  // namespace pushgate
