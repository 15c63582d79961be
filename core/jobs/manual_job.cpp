#include "core/jobs/manual_job.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "core/git/git.hpp"
#include "core/jobs/allowed_pushers.hpp"
#include "core/config/repo_config.hpp"

namespace pushgate {

namespace {

using ReferenceIteratorPtr =
    std::unique_ptr<git_reference_iterator, git::Deleter<git_reference_iterator, git_reference_iterator_free>>;

// The commit `name` (a full ref name or object id) peels to, or nullopt.
std::optional<git_oid> peel_to_commit(git_repository* repo, const std::string& name) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, (name + "^{commit}").c_str()) < 0) return std::nullopt;
  git::ObjectPtr owner(raw);
  return *git_object_id(raw);
}

bool is_hex(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

bool ref_exists(git_repository* repo, const std::string& name) {
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, name.c_str()) < 0) return false;
  git::ReferencePtr owner(raw);
  return true;
}

// The full name of what `base` (a rev without its ~/^ suffix) names, when it
// names exactly one thing.
Expected<std::string> full_name(git_repository* repo, const std::string& base) {
  if (base.starts_with("refs/")) {
    if (ref_exists(repo, base)) return base;
    return Error{ErrorCode::usage, fmt::format("there is no ref {} in {}", base, git::git_dir(repo))};
  }
  if (is_hex(base) && base.size() == GIT_OID_HEXSZ) return base;
  std::vector<std::string> candidates;
  for (const char* prefix : {"refs/heads/", "refs/tags/"})
    if (ref_exists(repo, prefix + base)) candidates.push_back(prefix + base);
  if (is_hex(base) && base.size() >= 4) {
    git_object* raw = nullptr;
    git_oid prefix{};
    if (git_oid_fromstrn(&prefix, base.data(), base.size()) == 0 &&
        git_object_lookup_prefix(&raw, repo, &prefix, base.size(), GIT_OBJECT_ANY) == 0) {
      git::ObjectPtr owner(raw);
      candidates.push_back(git::to_hex(*git_object_id(raw)));
    }
  }
  if (candidates.size() == 1) return candidates.front();
  if (candidates.empty())
    return Error{ErrorCode::usage, fmt::format("'{}' names no branch, tag or commit of {}", base, git::git_dir(repo))};
  std::string list;
  for (const auto& c : candidates) list += (list.empty() ? "" : ", ") + c;
  return Error{ErrorCode::usage, fmt::format("'{}' is ambiguous in {}: it names {}; give the one you mean in full",
                                             base, git::git_dir(repo), list)};
}

// The commits that tags point at.
std::vector<git_oid> tag_commits(git_repository* repo) {
  std::vector<git_oid> tips;
  git_reference_iterator* raw = nullptr;
  if (git_reference_iterator_glob_new(&raw, repo, "refs/tags/*") < 0) return tips;
  ReferenceIteratorPtr it(raw);
  git_reference* ref = nullptr;
  while (git_reference_next(&ref, raw) == 0) {
    git::ReferencePtr owner(ref);
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT) < 0) continue;
    git::ObjectPtr commit(peeled);
    tips.push_back(*git_object_id(peeled));
  }
  return tips;
}

}  // namespace

Expected<std::string> resolve_commit_unambiguously(git_repository* repo, const std::string& rev) {
  std::size_t cut = rev.find_first_of("~^@:");
  auto base = full_name(repo, rev.substr(0, cut));
  if (!base) return base.error();
  std::string suffix = cut == std::string::npos ? "" : rev.substr(cut);
  auto commit = peel_to_commit(repo, *base + suffix);
  if (!commit)
    return Error{ErrorCode::usage, fmt::format("'{}' does not name a commit in {}", rev, git::git_dir(repo))};
  return git::to_hex(*commit);
}

Expected<bool> check_deployable(git_repository* repo, const std::string& commit, const std::string& branch) {
  auto oid = git::parse_oid(commit);
  if (!oid) return oid.error();
  std::vector<git_oid> tips = tag_commits(repo);
  if (auto tip = peel_to_commit(repo, "refs/heads/" + branch)) tips.push_back(*tip);
  // Objects that neither the branch nor a tag reaches were never validated
  // as the environment's history (or are on their way to garbage collection).
  bool on = std::any_of(tips.begin(), tips.end(), [&](const git_oid& t) { return git_oid_equal(&t, &*oid); }) ||
            (!tips.empty() && git_graph_reachable_from_any(repo, &*oid, tips.data(), tips.size()) == 1);
  if (on) return true;
  return Error{ErrorCode::usage,
               fmt::format("commit {} is not on branch {} or any tag of {}; only what the gate validated there "
                           "can be deployed",
                           commit, branch, git::git_dir(repo))};
}

Expected<Job> make_manual_job(JobKind kind, const std::string& git_dir, const std::string& env,
                              const std::string& rev, const std::string& pusher) {
  auto repo = git::open(git_dir);
  if (!repo) return repo.error();
  auto config = load_repo_config(git::git_dir(repo->get()));
  if (!config) return config.error();
  Job job;
  job.kind = kind;
  job.repo = repo_identity(git::git_dir(repo->get()));
  auto known = find_environment(*config, env, job.repo);
  if (!known) return known.error();
  if (auto refused = pusher_refusal(**known, pusher, kind == JobKind::rollback ? "roll back" : "deploy"))
    return Error{ErrorCode::usage, *refused};
  job.env = env;
  job.pusher = pusher;
  job.enqueued_at = utc_now();
  if (!rev.empty() || kind != JobKind::rollback) {
    auto commit = resolve_commit_unambiguously(repo->get(), rev.empty() ? "refs/heads/" + (*known)->branch : rev);
    if (!commit) return commit.error();
    if (auto ok = check_deployable(repo->get(), *commit, (*known)->branch); !ok) return ok.error();
    job.commit = *commit;
  }
  return job;
}

}  // namespace pushgate
