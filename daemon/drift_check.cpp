#include "daemon/drift_check.hpp"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "core/config/deploy_dir.hpp"
#include "core/records/deploy_status.hpp"
#include "core/util/process.hpp"
#include "daemon/event_log.hpp"
#include "daemon/job_admission.hpp"
#include "daemon/job_log.hpp"
#include "daemon/records.hpp"
#include "daemon/release_id.hpp"
#include "deployers/deployer.hpp"

namespace pushgate::daemon {

namespace {

// The deploy-log note keeps the end of a very chatty heal, as for jobs.
constexpr std::size_t k_max_log_note = 256 * 1024;
// Release ids of heals carry job 0: no spool job made them.
constexpr std::uint64_t k_heal_job = 0;

void write_notes(git_repository* repo, const std::string& commit, const DeployRecord& record, JobLog& log,
                 const std::string& what) {
  if (auto written = append_log(repo, commit, record, log.contents(k_max_log_note)); !written)
    log_event("{}: cannot write the deploy-log note: {}", what, written.error().message);
  if (auto written = append_record(repo, commit, record); !written)
    log_event("{}: cannot record '{}': {}", what, to_string(record.status), written.error().message);
}

DeployStatus heal_status(DeployStatus deployed) {
  if (deployed == DeployStatus::succeeded) return DeployStatus::healed;
  return deployed == DeployStatus::rolled_back ? DeployStatus::rolled_back : DeployStatus::failed;
}

}  // namespace

void DriftChecker::set_config(const DaemonConfig& config) {
  std::lock_guard lock(m_config_mutex);
  m_config = config;
}

void DriftChecker::run(const Job& job) {
  DaemonConfig daemon;
  {
    std::lock_guard lock(m_config_mutex);
    daemon = m_config;
  }
  try {
    check(job, daemon);
  } catch (const std::exception& e) {
    log_event("drift check of {} in {}: error: {}", job.env, job.repo, e.what());
  }
}

void DriftChecker::check(const Job& job, const DaemonConfig& daemon) {
  std::string what = fmt::format("drift check of {} in {}", job.env, job.repo);
  auto admitted = admit_job(job, daemon);
  if (!admitted) return log_event("{}: {}", what, admitted.error().message);
  const Environment& env = *admitted->env;
  if (!env.drift) return;  // taken out of pushgate.yaml since it was queued
  git_repository* repo = admitted->repo.get();
  auto history = read_deploy_history(repo, env.name);
  if (!history) return log_event("{}: cannot read the deploy notes: {}", what, history.error().message);
  auto live = live_from_history(*history);
  if (!live) return;  // nothing deployed yet, so nothing to drift from
  if (auto dir = check_deploy_dir(env, daemon); !dir) return log_event("{}: {}", what, dir.error().message);

  // The check's log goes into the notes with its record; the file is only the JobLog's medium.
  std::filesystem::path log_dir = daemon.state / "drift";
  std::filesystem::create_directories(log_dir);
  std::filesystem::path log_file = log_dir / fmt::format("{}-{}.log", env.name, job.id);
  struct Remove {
    std::filesystem::path file;
    ~Remove() {
      std::error_code ec;
      std::filesystem::remove(file, ec);
    }
  } remove_log{log_file};
  JobLog log(log_file, m_board);

  SystemProcessRunner runner;
  auto deployer = make_deployer(env, job.repo, daemon.state.string(), runner);
  DeployRequest request{&admitted->job, repo, &env, live->commit, "", live->release, log.sink()};
  auto started = std::chrono::steady_clock::now();
  auto drift = deployer->drift(request);
  if (!drift) return log_event("{}: {}", what, drift.error().message);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  for (const auto& place : drift->unchecked) log_event("{}: not checked: {}", what, place);
  if (!drift->drifted()) return m_episodes.clean(job.repo, env.name, *history);

  std::string summary = describe_drift(*drift);
  log.write(fmt::format("pushgate: {} drifted from {} (release {}): {}", env.name, abbreviate(live->commit),
                        live->release.empty() ? "unknown" : live->release, summary));
  if (!m_episodes.open(job.repo, env.name, *history)) {
    RecordFields fields{{"release", live->release}};
    auto counts = drift_fields(*drift);
    fields.insert(fields.end(), counts.begin(), counts.end());
    fields.emplace_back("duration_ms", std::to_string(elapsed.count()));
    fields.emplace_back("message", log.redact(summary));
    write_notes(repo, live->commit, make_record(admitted->job, DeployStatus::drifted, fields), log, what);
    log_event("{}: drifted: {}", what, summary);
  }
  if (!env.drift->heal) return;

  request.previous_commit = live->commit;
  request.release_id = make_release_id(std::chrono::system_clock::now(), live->commit, k_heal_job, "");
  log.write(fmt::format("pushgate: healing {}: deploying {} again as release {}", env.name,
                        abbreviate(live->commit), request.release_id));
  DeployOutcome outcome = deployer->deploy(request);
  DeployStatus status = heal_status(outcome.status);
  auto now_live = deployer->live();
  RecordFields fields{{"target", outcome.target},
                      {"release", outcome.release},
                      {"previous", short_commit(live->commit)},
                      {"live", now_live ? short_commit(now_live->commit) : ""},
                      {"message", log.redact(outcome.message)}};
  fields.insert(fields.end(), outcome.fields.begin(), outcome.fields.end());
  write_notes(repo, live->commit, make_record(admitted->job, status, fields), log, what);
  log_event("{}: {}: {}", what, to_string(status), log.redact(outcome.message));
}

}  // namespace pushgate::daemon
