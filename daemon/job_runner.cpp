#include "daemon/job_runner.hpp"

#include <fmt/format.h>

#include "core/config/deploy_dir.hpp"
#include "core/git/git.hpp"
#include "core/jobs/job.hpp"
#include "core/jobs/manual_job.hpp"
#include "core/util/process.hpp"
#include "core/util/redactor.hpp"
#include "core/config/repo_config.hpp"
#include "daemon/event_log.hpp"
#include "daemon/gate_recheck.hpp"
#include "daemon/records.hpp"

namespace pushgate::daemon {

namespace {

// The deploy-log note keeps the end of a very chatty deploy.
constexpr std::size_t k_max_log_note = 256 * 1024;

JobLog::Redact redactor_for(const Environment& env) {
  std::vector<std::string> secrets;
  for (const auto& [name, value] : env.secrets) secrets.push_back(value);
  return [redactor = Redactor(std::move(secrets))](std::string_view text) { return redactor.redact(text); };
}

JobResult failed(const Job& job, std::string message) {
  JobResult r;
  r.status = DeployStatus::failed;
  r.record_on = job.commit;
  r.message = std::move(message);
  return r;
}

}  // namespace

JobRunner::JobRunner(Spool& spool, DaemonConfig config, LogBoard& board, const std::atomic<bool>& stopping)
    : m_spool(spool),
      m_config(std::move(config)),
      m_board(board),
      m_stopping(stopping),
      m_retrier([this](PendingRecord& pending) { return retry_notes(pending); }) {}

DaemonConfig JobRunner::config() const {
  std::lock_guard lock(m_config_mutex);
  return m_config;
}

void JobRunner::set_config(const DaemonConfig& config) {
  std::lock_guard lock(m_config_mutex);
  m_config = config;
}

void JobRunner::run(const Dispatch& dispatch) {
  const Job& job = dispatch.job;
  auto started = std::chrono::steady_clock::now();
  try {
    auto admitted = admit_job(job, config());
    if (!admitted) return refuse(dispatch, admitted.error().message);
    git_repository* repo = admitted->repo.get();
    for (const Job& old : dispatch.superseded) supersede(*admitted, old);
    const Job& derived = admitted->job;
    if (finish_if_recorded(repo, derived)) return;
    if (admitted->named_on_branch) {
      Job named = derived;
      named.commit = admitted->named_commit;
      if (finish_if_recorded(repo, named)) return;
    }
    JobLog log(m_spool.log_path(job.id), m_board);
    log_event("job {}: {} {} in {}", job.id, dispatch.recovered ? "recovering" : "starting", describe_job(derived),
              derived.repo);
    JobResult result = execute(*admitted, dispatch, log);
    conclude(repo, derived, result, log, started);
  } catch (const std::exception& e) {
    log_event("job {}: error: {}", job.id, e.what());
    if (m_spool.phase(job.id) != JobPhase::done) finish(job, "failed", "", e.what());
  }
}

void JobRunner::refuse(const Dispatch& dispatch, const std::string& message) {
  // Nothing is written into a repository that was refused: it may not be one
  // the daemon serves at all.
  auto refuse_one = [&](const Job& job) {
    JobLog(m_spool.log_path(job.id), m_board).write("pushgate: refused: " + message);
    finish(job, "failed", "", message);
  };
  for (const Job& old : dispatch.superseded) refuse_one(old);
  refuse_one(dispatch.job);
}

void JobRunner::supersede(const AdmittedJob& admitted, const Job& old) {
  Job job = old;
  job.repo = admitted.job.repo;
  job.pusher = derived_pusher(old, admitted.repo_owner);
  if (finish_if_recorded(admitted.repo.get(), job)) return;
  std::string message =
      fmt::format("{} (job {}) is deployed instead", abbreviate(admitted.job.commit), admitted.job.id);
  // A record goes only on a commit of the branch: a job file may name any object.
  if (check_deployable(admitted.repo.get(), job.commit, admitted.env->branch)) {
    DeployRecord record = make_record(job, DeployStatus::superseded,
                                      {{"superseded_by", short_commit(admitted.job.commit)}, {"message", message}});
    if (auto written = append_record(admitted.repo.get(), job.commit, record); !written)
      log_event("job {}: cannot record 'superseded': {}", job.id, written.error().message);
  }
  JobLog(m_spool.log_path(job.id), m_board).write("pushgate: superseded: " + message);
  finish(job, to_string(DeployStatus::superseded), "", message);
}

JobResult JobRunner::execute(AdmittedJob& admitted, const Dispatch& dispatch, JobLog& log) {
  const Job& job = admitted.job;
  const Environment* env = admitted.env;
  log.set_redact(redactor_for(*env));

  DaemonConfig daemon = config();
  if (auto dir = check_deploy_dir(*env, daemon); !dir) return failed(job, dir.error().message);
  SystemProcessRunner runner;
  std::unique_ptr<Deployer> deployer;
  try {
    deployer = make_deployer(*env, job.repo, daemon.state.string(), runner);
  } catch (const Failure& e) {
    return failed(job, fmt::format("cannot set up the {} deployer: {}", job.env, e.what()));
  }
  auto live = deployer->live();
  if (auto stale = stale_push(admitted, live ? live->commit : "", dispatch.recovered)) {
    JobResult r;
    r.status = DeployStatus::superseded;
    // On the commit the job was queued for, when that is the branch's: a job
    // file may name any object.
    r.record_on = admitted.named_commit.empty() ? job.commit : admitted.named_on_branch ? admitted.named_commit : "";
    r.message = *stale;
    if (admitted.named_on_branch) r.fields = {{"superseded_by", short_commit(job.commit)}};
    return r;
  }
  if (!job.commit.empty() && hooks_bypassable(job.repo)) {
    log.write(fmt::format("pushgate: {} can be written by other accounts than its owner, who can push past the "
                          "hooks: checking {} again before deploying it",
                          job.repo, abbreviate(job.commit)));
    if (auto refused = recheck_commit(admitted.repo.get(), job.commit, admitted.config.validate))
      return failed(job, fmt::format("refusing to deploy: {}", *refused));
  }
  JobContext ctx{admitted.repo.get(), &job, env, deployer.get(), &log, &m_stopping};
  if (dispatch.recovered) return recover_interrupted(ctx);
  if (job.kind == JobKind::rollback) return rollback_job(ctx);
  return deploy_commit(ctx, 0);
}

bool JobRunner::write_notes(git_repository* repo, PendingRecord& pending) {
  // The log first: once the final record is there, a restarted daemon
  // takes the job as done and would not write the log any more.
  if (!pending.log.empty()) {
    if (auto written = append_log(repo, pending.commit, pending.record, pending.log); !written) {
      log_event("job {}: cannot write the deploy-log note: {}", pending.job.id, written.error().message);
      return false;
    }
    pending.log.clear();
  }
  if (auto written = append_record(repo, pending.commit, pending.record); !written) {
    log_event("job {}: cannot write the deploy note: {}", pending.job.id, written.error().message);
    return false;
  }
  return true;
}

void JobRunner::park(PendingRecord pending, JobLog& log) {
  log.write("pushgate: the deploy note cannot be written yet; pushgated retries until it is "
            "(`pushgate status` shows it as record pending)");
  if (auto kept = m_spool.set_pending_record(pending.job.id, pending_to_json(pending)); !kept)
    log_event("job {}: cannot keep its pending record in the spool: {}", pending.job.id, kept.error().message);
  log_event("job {}: {}, record pending; retrying until the note is written", pending.job.id,
            to_string(pending.record.status));
  m_board.announce();
  m_retrier.add(std::move(pending));
}

bool JobRunner::retry_notes(PendingRecord& pending) {
  auto repo = git::open(pending.job.repo);
  if (!repo) {
    log_event("job {}: cannot open {} to write its notes: {}", pending.job.id, pending.job.repo,
              repo.error().message);
    return false;
  }
  if (!write_notes(repo->get(), pending)) return false;
  log_event("job {}: the pending record is written", pending.job.id);
  finish(pending.job, to_string(pending.record.status), pending.release, pending.message);
  return true;
}

bool JobRunner::resume_pending(const Job& job) {
  auto text = m_spool.pending_record(job.id);
  if (!text) return false;
  auto pending = pending_from_json(*text, job);
  if (!pending) {
    log_event("job {}: its pending record is unreadable; recovering the job instead", job.id);
    return false;
  }
  log_event("job {}: deployed by an earlier run, record pending; retrying the note", job.id);
  m_retrier.add(std::move(*pending));
  return true;
}

void JobRunner::conclude(git_repository* repo, const Job& job, const JobResult& result, JobLog& log,
                         std::chrono::steady_clock::time_point started) {
  const char* status = to_string(result.status);
  log.write(fmt::format("pushgate: {}: {}", status, result.message));
  if (!result.record_on.empty()) {
    RecordFields fields = result.fields;
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    fields.emplace_back("duration_ms", std::to_string(elapsed.count()));
    fields.emplace_back("message", result.message);
    // A superseded job made no attempt, so it has no deploy-log note.
    std::string attempt_log =
        result.status == DeployStatus::superseded ? std::string() : log.contents(k_max_log_note);
    PendingRecord notes{job,           result.record_on, make_record(job, result.status, fields),
                        attempt_log, result.release, result.message};
    // No deploy without its record: until the notes are written the job
    // stays active, and shows as record pending.
    if (!write_notes(repo, notes)) return park(std::move(notes), log);
  }
  finish(job, status, result.release, result.message);
}

bool JobRunner::finish_if_recorded(git_repository* repo, const Job& job) {
  auto found = find_final_record(repo, job);
  if (!found) {
    log_event("job {}: cannot read the deploy notes: {}", job.id, found.error().message);
    return false;
  }
  if (!*found) return false;
  const DeployRecord& record = (*found)->record;
  log_event("job {}: already recorded as {}; finishing it", job.id, to_string(record.status));
  finish(job, to_string(record.status), record.field("release"), record.field("message"));
  return true;
}

void JobRunner::finish(const Job& job, const std::string& status, const std::string& release,
                       const std::string& message) {
  JobOutcome outcome{status, release, message, utc_now()};
  if (auto done = m_spool.finish(job.id, outcome); !done)
    log_event("job {}: cannot mark it finished: {}", job.id, done.error().message);
  else
    log_event("job {}: {}{}{}", job.id, status, message.empty() ? "" : ": ", message);
  m_board.announce();
}

}  // namespace pushgate::daemon
