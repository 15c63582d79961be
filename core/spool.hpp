#pragma once
// The durable job spool shared by the hooks, the CLI and pushgated.
//
//   SPOOL/seq          last job number, updated under flock
//   SPOOL/tmp/         jobs being written
//   SPOOL/new/         whole jobs waiting for the daemon (renamed from tmp/)
//   SPOOL/active/      jobs the daemon has claimed; found here at start-up
//                      means the daemon died during the deploy
//   SPOOL/done/        finished jobs with their outcome
//   SPOOL/logs/<id>.log the job's log, appended while it runs
//   SPOOL/bad/         entries that were not jobs, moved aside once
//   SPOOL/id           the spool's random identity (32 hex digits)
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
#include <vector>

#include "core/error.hpp"
#include "core/job.hpp"

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
  // folder inherits from a setgid parent); job files and SPOOL/seq are 0660,
  // whatever the umask. Makes SPOOL/id on first use: two processes that
  // create a spool at once agree on one id. Throws Failure when it cannot,
  // or when SPOOL/id is not 32 hex digits.
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

  JobPhase phase(std::uint64_t id) const;
  std::optional<Job> find(std::uint64_t id) const;
  std::optional<JobOutcome> outcome(std::uint64_t id) const;

  const std::filesystem::path& dir() const { return m_dir; }
  // The spool's identity: jobs are (id(), Job::id), unique across spools.
  const std::string& id() const { return m_id; }
  std::filesystem::path new_dir() const { return m_dir / "new"; }
  std::filesystem::path log_path(std::uint64_t id) const;

 private:
  std::filesystem::path m_dir;
  std::string m_id;
};

}  // namespace pushgate
