#include "daemon/job_runner.hpp"

#include <fmt/format.h>

#include <thread>

#include "core/deploy_dir.hpp"
#include "core/git.hpp"
#include "core/job.hpp"
#include "core/process.hpp"
#include "core/redactor.hpp"
#include "core/repo_config.hpp"
#include "daemon/event_log.hpp"
#include "daemon/records.hpp"

namespace pushgate::daemon {

namespace {

// The deploy-log note keeps the end of a very chatty deploy.
constexpr std::size_t k_max_log_note = 256 * 1024;
constexpr int k_record_attempts = 5;
constexpr std::chrono::milliseconds k_record_retry_pause{500};


std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

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

JobRunner::JobRunner(Spool& spool, std::filesystem::path state_dir, LogBoard& board,
                     const std::atomic<bool>& stopping)
    : m_spool(spool), m_state_dir(std::move(state_dir)), m_board(board), m_stopping(stopping) {}

void JobRunner::run(const Dispatch& dispatch) {
  const Job& job = dispatch.job;
  auto started = std::chrono::steady_clock::now();
  try {
    auto repo = git::open(job.repo);
    if (!repo) {
      for (const Job& old : dispatch.superseded) finish(old, "failed", "", repo.error().message);
      finish(job, "failed", "", repo.error().message);
      return;
    }
    for (const Job& old : dispatch.superseded) supersede(repo->get(), old, job);
    if (finish_if_recorded(repo->get(), job)) return;
    JobLog log(m_spool.log_path(job.id), m_board);
    log_event("job {}: {} {} in {}", job.id, dispatch.recovered ? "recovering" : "starting", describe_job(job),
              job.repo);
    JobResult result = execute(repo->get(), dispatch, log);
    conclude(repo->get(), job, result, log, started);
  } catch (const std::exception& e) {
    log_event("job {}: error: {}", job.id, e.what());
    if (m_spool.phase(job.id) != JobPhase::done) finish(job, "failed", "", e.what());
  }
}

void JobRunner::supersede(git_repository* repo, const Job& old, const Job& newest) {
  if (finish_if_recorded(repo, old)) return;
  std::string message = fmt::format("{} (job {}) is deployed instead", abbreviate(newest.commit), newest.id);
  DeployRecord record = make_record(old, DeployStatus::superseded,
                                    {{"superseded_by", short_commit(newest.commit)}, {"message", message}});
  if (auto written = append_record(repo, old.commit, record); !written)
    log_event("job {}: cannot record 'superseded': {}", old.id, written.error().message);
  JobLog(m_spool.log_path(old.id), m_board).write("pushgate: superseded: " + message);
  finish(old, to_string(DeployStatus::superseded), "", message);
}

JobResult JobRunner::execute(git_repository* repo, const Dispatch& dispatch, JobLog& log) {
  const Job& job = dispatch.job;
  if (job.commit.empty() && job.kind != JobKind::rollback) return failed(job, "the job names no commit");
  auto config = load_repo_config(job.repo);
  if (!config)
    return failed(job, fmt::format("{}/pushgate.yaml is invalid: {}", job.repo, first_line(config.error().message)));
  auto found = find_environment(*config, job.env, job.repo);
  if (!found)
    return failed(job, fmt::format("{}, so the job queued for it cannot run", found.error().message));
  const Environment* env = *found;
  log.set_redact(redactor_for(*env));

  if (auto dir = check_deploy_dir(*env, m_spool.dir(), m_state_dir); !dir) return failed(job, dir.error().message);
  SystemProcessRunner runner;
  std::unique_ptr<Deployer> deployer;
  try {
    deployer = make_deployer(*env, job.repo, m_state_dir.string(), runner);
  } catch (const Failure& e) {
    return failed(job, fmt::format("cannot set up the {} deployer: {}", job.env, e.what()));
  }
  JobContext ctx{repo, &job, env, deployer.get(), &log, &m_stopping};
  if (dispatch.recovered) return recover_interrupted(ctx);
  if (job.kind == JobKind::rollback) return rollback_job(ctx);
  return deploy_commit(ctx, 0);
}

bool JobRunner::record_with_retries(git_repository* repo, const Job& job, const std::string& commit,
                                    const DeployRecord& record) {
  for (int attempt = 1;; ++attempt) {
    auto written = append_record(repo, commit, record);
    if (written) return true;
    log_event("job {}: cannot write the deploy note (attempt {} of {}): {}", job.id, attempt,
              k_record_attempts, written.error().message);
    if (attempt == k_record_attempts) return false;
    std::this_thread::sleep_for(k_record_retry_pause);
  }
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
    DeployRecord record = make_record(job, result.status, fields);
    // The log first: once the final record is there, a restarted daemon
    // takes the job as done and would not write the log any more.
    if (auto written = append_log(repo, result.record_on, record, log.contents(k_max_log_note)); !written)
      log_event("job {}: cannot write the deploy-log note: {}", job.id, written.error().message);
    if (!record_with_retries(repo, job, result.record_on, record)) {
      // No accepted push without its record: the job stays in active/, and
      // the next start takes it as interrupted and records it then.
      log_event("job {}: left unfinished so that a restart records it", job.id);
      return;
    }
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
