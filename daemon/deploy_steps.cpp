#include "daemon/deploy_steps.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/records/deploy_status.hpp"
#include "core/jobs/job.hpp"
#include "daemon/event_log.hpp"
#include "daemon/release_id.hpp"
#include "deployers/release_folder.hpp"

namespace pushgate::daemon {

namespace {

using std::chrono::system_clock;


std::string live_short(const Deployer& deployer) {
  auto live = deployer.live();
  return live ? short_commit(live->commit) : std::string();
}

DeployRequest request_for(const JobContext& ctx, std::string commit, std::string previous,
                          std::string release_id) {
  DeployRequest request;
  request.job = ctx.job;
  request.repo = ctx.repo;
  request.env = ctx.env;
  request.commit = std::move(commit);
  request.previous_commit = std::move(previous);
  request.release_id = std::move(release_id);
  request.log = ctx.log->sink();
  return request;
}

// Waits `delay` between attempts, but not past a SIGTERM: the daemon is
// asked to finish what runs, not to start more.
void pause(const JobContext& ctx, std::chrono::milliseconds delay) {
  auto until = std::chrono::steady_clock::now() + delay;
  while (!ctx.stopping->load() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(delay, std::chrono::milliseconds(100)));
}

bool made_live(DeployStatus status) { return status == DeployStatus::succeeded; }

// A deployer reports succeeded, failed or rolled_back; anything else would
// be a bug there, and is recorded as a failure here.
DeployStatus final_status(DeployStatus status) {
  bool known = status == DeployStatus::succeeded || status == DeployStatus::failed ||
               status == DeployStatus::rolled_back;
  return known ? status : DeployStatus::failed;
}

// The environment's records, oldest first; one that cannot be read is said
// in the log and taken as empty.
std::vector<CommitRecord> history_of(const JobContext& ctx) {
  auto history = read_deploy_history(ctx.repo, ctx.env->name);
  if (history) return std::move(*history);
  ctx.log->write(fmt::format("pushgate: cannot read the deploy history: {}", history.error().message));
  return {};
}

// What the records say is live: the last good release, whatever a cut-off
// deploy left on the target.
std::optional<LiveDeploy> recorded_live(const JobContext& ctx) { return live_from_history(history_of(ctx)); }

// Removes the releases that a cut-off run of the job made, unless live: they
// were never verified, so they must neither count towards keep_releases nor
// be what a rollback to their commit switches to.
void discard_cut_off(const JobContext& ctx) {
  auto live = ctx.deployer->live();
  for (const auto& kept : ctx.deployer->releases()) {
    auto name = parse_release_name(kept.release);
    if (!name || name->job != ctx.job->id || (live && live->release == kept.release)) continue;
    if (auto removed = ctx.deployer->discard(kept.release); removed)
      ctx.log->write(fmt::format("pushgate: removed release {}: the stop cut it off before it was verified",
                                 kept.release));
    else
      ctx.log->write(fmt::format("pushgate: cannot remove release {}, which the stop cut off: {}", kept.release,
                                 removed.error().message));
  }
}

JobResult failure(std::string record_on, std::string message) {
  JobResult r;
  r.status = DeployStatus::failed;
  r.record_on = std::move(record_on);
  r.message = std::move(message);
  return r;
}

// `on_interrupt: rollback`: instead of running the cut-off deploy again,
// makes the release the records call good live again; `rerun` numbers the
// release made when that one has to be deployed afresh.
JobResult roll_back_cut_off(const JobContext& ctx, std::size_t rerun) {
  const Job& job = *ctx.job;
  std::optional<LiveDeploy> good = recorded_live(ctx);
  auto live = ctx.deployer->live();
  if (!good)
    return failure(job.commit, fmt::format("the deploy to {} was cut off and there is no earlier good release "
                                           "to roll back to; live: {}",
                                           ctx.env->name, live ? live->release : "nothing"));
  std::string id = make_release_id(system_clock::now(), good->commit, job.id, release_suffix(1, rerun));
  ctx.log->write(fmt::format("pushgate: rolling back {} to {}", ctx.env->name, abbreviate(good->commit)));
  DeployOutcome outcome =
      ctx.deployer->rollback(request_for(ctx, good->commit, live ? live->commit : "", id), good->commit);
  JobResult r;
  bool ok = outcome.status != DeployStatus::failed;
  r.status = ok ? DeployStatus::rolled_back : DeployStatus::failed;
  r.record_on = job.commit;
  r.release = outcome.release;
  r.message = ok ? fmt::format("the deploy was cut off by a stop of pushgated; {} is live again",
                               abbreviate(good->commit))
                 : ctx.log->redact(outcome.message);
  r.fields = {{"target", outcome.target},
              {"release", outcome.release},
              {"previous", short_commit(good->commit)},
              {"live", live_short(*ctx.deployer)}};
  return r;
}

}  // namespace

JobResult deploy_commit(const JobContext& ctx, std::size_t rerun) {
  const Job& job = *ctx.job;
  auto live = ctx.deployer->live();
  std::string previous = live ? live->commit : std::string();
  // After a crash the cut-off release itself may be live; what it replaced
  // is the last good one.
  if (rerun > 0 && previous == job.commit) {
    auto good = recorded_live(ctx);
    previous = good ? good->commit : std::string();
  }
  int attempts = std::max(1, ctx.env->retry.attempts);
  DeployOutcome outcome;
  int attempt = 1;
  for (;; ++attempt) {
    std::string id = make_release_id(system_clock::now(), job.commit, job.id, release_suffix(attempt, rerun));
    ctx.log->write(fmt::format("pushgate: deploying {} to {} as release {}{}", abbreviate(job.commit),
                               ctx.env->name, id,
                               attempts > 1 ? fmt::format(" (attempt {} of {})", attempt, attempts) : ""));
    outcome = ctx.deployer->deploy(request_for(ctx, job.commit, previous, id));
    if (made_live(outcome.status) || attempt >= attempts || ctx.stopping->load()) break;
    ctx.log->write(fmt::format("pushgate: attempt {} ended {}: {}; trying again in {} ms", attempt,
                               to_string(outcome.status), outcome.message, ctx.env->retry.delay.count()));
    pause(ctx, ctx.env->retry.delay);
  }
  JobResult r;
  r.status = final_status(outcome.status);
  r.record_on = job.commit;
  r.release = outcome.release;
  r.message = ctx.log->redact(outcome.message);
  r.fields = {{"target", outcome.target},
              {"release", outcome.release},
              {"previous", short_commit(previous)},
              {"live", live_short(*ctx.deployer)},
              {"attempts", attempt > 1 ? std::to_string(attempt) : ""}};
  r.fields.insert(r.fields.end(), outcome.fields.begin(), outcome.fields.end());
  return r;
}

JobResult rollback_job(const JobContext& ctx) {
  const Job& job = *ctx.job;
  const std::string& env = ctx.env->name;
  auto live = ctx.deployer->live();
  if (!live) return failure(job.commit, fmt::format("nothing is deployed to {}; there is nothing to roll back", env));
  std::string target = job.commit;
  if (target.empty()) {
    auto before = release_before_live(history_of(ctx), live->commit, live->release);
    if (!before)
      return failure("", fmt::format("{} has no successful release older than the live one ({}, release {}) "
                                     "to roll back to; name a commit with --to",
                                     env, abbreviate(live->commit), live->release));
    target = before->commit;
  }
  if (target == live->commit)
    return failure(target, fmt::format("{} is already live in {}; nothing to roll back", abbreviate(target), env));

  ctx.log->write(fmt::format("pushgate: rolling back {} from {} to {}", env, abbreviate(live->commit), abbreviate(target)));
  std::string id = make_release_id(system_clock::now(), target, job.id, "");
  DeployOutcome outcome = ctx.deployer->rollback(request_for(ctx, target, live->commit, id), target);
  JobResult r;
  bool ok = outcome.status != DeployStatus::failed;
  r.status = ok ? DeployStatus::rolled_back : DeployStatus::failed;
  // A rollback is recorded on the commit it took off the environment; one
  // that failed, on the commit it could not bring back.
  r.record_on = ok ? live->commit : target;
  r.release = outcome.release;
  r.message = ctx.log->redact(outcome.message);
  if (ok && r.message.empty())
    r.message = fmt::format("rolled back to {} by {}", abbreviate(target), job.pusher);
  r.fields = {{"target", outcome.target},
              {"release", outcome.release},
              {"previous", short_commit(live->commit)},
              {"live", live_short(*ctx.deployer)}};
  r.fields.insert(r.fields.end(), outcome.fields.begin(), outcome.fields.end());
  return r;
}

JobResult recover_interrupted(const JobContext& ctx) {
  const Job& job = *ctx.job;
  bool retry = ctx.env->retry.on_interrupt == OnInterrupt::retry || job.kind == JobKind::rollback;
  std::string message = fmt::format("pushgated stopped during this deploy; {}",
                                    retry ? "running it again" : "rolling back to the last good release");
  ctx.log->write("pushgate: " + message);
  if (!job.commit.empty()) {
    auto written = append_record(ctx.repo, job.commit,
                                 make_record(job, DeployStatus::interrupted, {{"message", message}}));
    if (!written) log_event("job {}: cannot record 'interrupted': {}", job.id, written.error().message);
  }
  // Before the run, so that nothing switches to a cut-off release; after it,
  // for the one that was live until then.
  discard_cut_off(ctx);
  JobResult r;
  if (job.kind == JobKind::rollback) {
    r = rollback_job(ctx);
  } else {
    std::size_t rerun = std::max<std::size_t>(1, count_records(ctx.repo, job, DeployStatus::interrupted));
    r = retry ? deploy_commit(ctx, rerun) : roll_back_cut_off(ctx, rerun);
  }
  discard_cut_off(ctx);
  return r;
}

}  // namespace pushgate::daemon
