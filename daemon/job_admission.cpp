#include "daemon/job_admission.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/jobs/allowed_pushers.hpp"
#include "core/jobs/manual_job.hpp"
#include "core/util/trusted_file.hpp"

namespace pushgate::daemon {

namespace {

Error refuse(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

std::optional<std::string> branch_tip(git_repository* repo, const std::string& branch) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, fmt::format("refs/heads/{}^{{commit}}", branch).c_str()) < 0)
    return std::nullopt;
  git::ObjectPtr owner(raw);
  return git::to_hex(*git_object_id(raw));
}

// True when `older` is `newer` or in its history.
bool is_ancestor(git_repository* repo, const std::string& older, const std::string& newer) {
  if (older == newer) return true;
  auto a = git::parse_oid(older), b = git::parse_oid(newer);
  return a && b && git_graph_descendant_of(repo, &*b, &*a) == 1;
}

// Push jobs deploy only what the branch holds now, whatever the file says.
void derive_push_commit(AdmittedJob& admitted, const std::string& tip) {
  Job& job = admitted.job;
  if (job.commit != tip) {
    admitted.named_commit = job.commit;
    admitted.named_on_branch = is_ancestor(admitted.repo.get(), job.commit, tip);
  }
  job.commit = tip;
  job.ref = "refs/heads/" + admitted.env->branch;
}

}  // namespace

std::string derived_pusher(const Job& job, uid_t repo_owner) {
  if (job.owner == static_cast<uid_t>(-1)) return "unknown";
  bool vouched = job.owner == 0 || job.owner == repo_owner || job.owner == ::geteuid();
  if (vouched && !job.pusher.empty()) return job.pusher;
  return account_name(job.owner);
}

Expected<AdmittedJob> admit_job(const Job& job, const DaemonConfig& daemon) {
  AdmittedJob admitted;
  admitted.job = job;
  std::string repo = repo_identity(job.repo);
  admitted.job.repo = repo;
  std::string config_file = daemon.source.empty() ? std::string(k_default_daemon_config) : daemon.source.string();
  if (!serves_repository(daemon, repo))
    return refuse(ErrorCode::config,
                  fmt::format("refusing repository {}: {} does not name it, so pushgated deploys nothing from it. "
                              "If it is yours, add it to repositories: in pushgated.yaml and send pushgated SIGHUP",
                              repo, config_file));
  struct stat st;
  if (::stat(repo.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return refuse(ErrorCode::config, fmt::format("refusing repository {}: it is not a folder", repo));
  auto opened = git::open(repo);
  if (!opened) return opened.error();
  admitted.repo = std::move(*opened);
  if (repo_identity(git::git_dir(admitted.repo.get())) != repo)
    return refuse(ErrorCode::config, fmt::format("refusing repository {}: it is not a git directory", repo));
  // The hooks folder is what gates every push: one that another account can
  // change means nothing in the repository was validated.
  auto repo_owner = owner_of(repo);
  if (!repo_owner) return repo_owner.error();
  if (auto trusted = check_hooks_folder(repo); !trusted)
    return refuse(ErrorCode::config, fmt::format("refusing repository {}: {}", repo, trusted.error().message));
  auto config = load_repo_config(repo);
  if (!config) return refuse(ErrorCode::config, fmt::format("{}/pushgate.yaml: {}", repo, config.error().message));
  admitted.config = std::move(*config);
  auto env = find_environment(admitted.config, job.env, repo);
  if (!env) return refuse(ErrorCode::usage, fmt::format("{}, so the job queued for it cannot run", env.error().message));
  admitted.env = *env;
  admitted.repo_owner = *repo_owner;
  admitted.job.pusher = derived_pusher(job, *repo_owner);
  // Whoever wrote the job file, by hand or through the CLI: the same list
  // as the gate's, for pushes and manual jobs alike.
  const char* action = job.kind == JobKind::push ? "deploy a push" : job.kind == JobKind::rollback ? "roll back" : "deploy";
  if (auto refused = pusher_refusal(*admitted.env, admitted.job.pusher, action))
    return refuse(ErrorCode::usage, *refused);

  if (job.kind == JobKind::push) {
    auto tip = branch_tip(admitted.repo.get(), admitted.env->branch);
    if (!tip)
      return refuse(ErrorCode::usage, fmt::format("branch {} of environment {} does not exist in {}",
                                                  admitted.env->branch, job.env, repo));
    derive_push_commit(admitted, *tip);
  } else if (!job.commit.empty()) {
    auto full = git::parse_oid(job.commit);
    if (!full) return full.error();
    if (auto ok = check_deployable(admitted.repo.get(), job.commit, admitted.env->branch); !ok) return ok.error();
  } else if (job.kind != JobKind::rollback && job.kind != JobKind::drift) {
    return refuse(ErrorCode::usage, "the job names no commit");
  }
  return admitted;
}

std::optional<std::string> stale_push(const AdmittedJob& admitted, const std::string& live_commit, bool recovered) {
  const Job& job = admitted.job;
  if (job.kind != JobKind::push) return std::nullopt;
  // The branch moved on since the job was queued (or the file names what was
  // never pushed): the push that moved it queued the job that deploys it.
  if (!admitted.named_commit.empty())
    return admitted.named_on_branch
               ? fmt::format("branch {} has moved on to {}, which its own push deploys", admitted.env->branch,
                             abbreviate(job.commit))
               : fmt::format("the job names {}, which is not on branch {} (at {}); nothing is deployed for it",
                             abbreviate(admitted.named_commit), admitted.env->branch, abbreviate(job.commit));
  if (recovered && !live_commit.empty() && job.commit != live_commit &&
      is_ancestor(admitted.repo.get(), job.commit, live_commit))
    return fmt::format("{} is older than {}, which is live; a deploy never goes back by itself",
                       abbreviate(job.commit), abbreviate(live_commit));
  return std::nullopt;
}

}  // namespace pushgate::daemon
