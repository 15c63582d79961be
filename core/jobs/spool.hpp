#pragma once
// The durable job spool shared by the hooks, the CLI and pushgated.
//
//   SPOOL/id           a random id (32 hex digits), made once: which spool a
//                      job number is of
//   SPOOL/seq          last job number, updated under flock
//   SPOOL/tmp/         jobs being written
//   SPOOL/new/         whole jobs waiting for the daemon (renamed from tmp/)
//   SPOOL/active/      jobs the daemon has claimed; found here at start-up
//                      means the daemon died during the deploy
//   SPOOL/active/<id>.pending  a deployed job's record that the daemon could
//                      not write to the notes yet (it retries)
//   SPOOL/done/        finished jobs with their outcome
//   SPOOL/logs/<id>.log the job's log, appended while it runs
//   SPOOL/bad/         entries that were not jobs, moved aside once
//
// The spool is writable by every pusher, so its entries are hostile: each is
// opened without blocking and without following a link, and anything that is
// not a regular file of at most k_max_job_file bytes is moved to bad/ with
// one warning, rather than hanging the reader (a FIFO) or being warned about
// at every scan (a folder).
//
// Every state change is a rename within one file system, after the data is
// fsync'ed, so a crash at any instant leaves a job whole in exactly one
// folder, or not at all.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"
#include "core/jobs/job.hpp"

namespace pushgate {

// How a finished job ended, stored beside it in done/.
struct JobOutcome {
  std::string status;   // a deploy status: succeeded, failed, superseded, rolled-back
  std::string release;  // release id, when one was made
  std::string message;  // one line for people
  std::string finished_at;
};

// The largest job or done file read; a job is some hundred bytes.
inline constexpr std::size_t k_max_job_file = 1024 * 1024;

enum class JobPhase { waiting, active, done, unknown };

class Spool {
 public:
  // Creates the folders if needed (mode 0770, keeping the setgid bit a new
  // folder inherits from a setgid parent); SPOOL/seq is 0660 and job files
  // 0640, whatever the umask. Makes SPOOL/id on first use: two processes
  // that create a spool at once agree on one id. Throws Failure when it
  // cannot, or when SPOOL/id is not 32 hex digits.
  explicit Spool(std::filesystem::path dir);

  // Assigns the next id and stores the job; returns it with its id.
  Expected<Job> enqueue(Job job);
  // Waiting jobs, lowest id first.
  std::vector<Job> waiting() const;
  // Claimed, unfinished jobs, lowest id first.
  std::vector<Job> active() const;
  // Moves a waiting job to active/.
  Expected<Job> claim(std::uint64_t id);
  // Moves an active (or waiting, for superseded jobs) job to done/ with its outcome.
  Expected<bool> finish(std::uint64_t id, const JobOutcome& outcome);

  // Keeps `text` (the daemon's record of a deploy whose note could not be
  // written yet) beside active job `id`, until finish() removes it.
  Expected<bool> set_pending_record(std::uint64_t id, std::string_view text);
  // What set_pending_record left for job `id`; nullopt when nothing.
  std::optional<std::string> pending_record(std::uint64_t id) const;

  JobPhase phase(std::uint64_t id) const;
  std::optional<Job> find(std::uint64_t id) const;
  std::optional<JobOutcome> outcome(std::uint64_t id) const;

  const std::filesystem::path& dir() const { return m_dir; }
  // The spool's random id (SPOOL/id): job numbers are unique within one
  // spool only, so a job is named by this id and its number.
  const std::string& id() const { return m_id; }
  std::filesystem::path new_dir() const { return m_dir / "new"; }
  std::filesystem::path log_path(std::uint64_t id) const;

 private:
  std::filesystem::path m_dir;
  std::string m_id;
};

}  // namespace pushgate
