#pragma once
// Which job runs next: one job at a time per environment of a repository,
// up to `workers` environments at once, the oldest waiting work first.
// Pure bookkeeping, no I/O: the daemon feeds it what the spool holds and
// runs what it hands out.
//
// Coalescing: when an environment becomes free and several push jobs wait
// for it in a row, only the newest is deployed; the older ones come with it
// to be recorded as superseded. Manual deploy and rollback jobs are never
// coalesced and keep their place in the order.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/jobs/job.hpp"

namespace pushgate::daemon {

// One unit of work for a worker.
struct Dispatch {
  Job job;
  // Found in SPOOL/active at start-up: cut off by a crash, already claimed.
  bool recovered = false;
  // Older waiting push jobs that `job` replaces, oldest first.
  std::vector<Job> superseded;
};

class Scheduler {
 public:
  explicit Scheduler(unsigned workers) : m_workers(workers == 0 ? 1 : workers) {}

  // Changes the number of environments run in parallel (at least 1); running
  // work is not affected.
  void set_workers(unsigned workers) { m_workers = workers == 0 ? 1 : workers; }

  // Queues a job waiting in the spool. Jobs already queued or running are
  // ignored, so the daemon can hand over a full rescan.
  void add_waiting(const Job& job);
  // Queues a job that a crash cut off; it runs before anything else of its
  // environment.
  void add_recovered(const Job& job);

  // The next unit of work, or nullopt when every worker is busy or every
  // environment with waiting work is running. Its environment counts as
  // running until finished() is called with the dispatch's job.
  std::optional<Dispatch> next();
  // The worker running `job` is done (with its superseded jobs too).
  void finished(const Job& job);

  std::size_t running() const { return m_running.size(); }
  std::size_t waiting() const;
  // True when `id` is queued or part of running work.
  bool knows(std::uint64_t id) const { return m_known.contains(id); }

 private:
  using Key = std::pair<std::string, std::string>;  // repository, environment
  struct Entry {
    Job job;
    bool recovered = false;
  };
  void insert(Entry entry);

  unsigned m_workers;
  std::map<Key, std::deque<Entry>> m_queues;  // recovered first, then by id
  std::map<Key, std::vector<std::uint64_t>> m_running;  // ids each running dispatch holds
  std::set<std::uint64_t> m_known;
};

}  // namespace pushgate::daemon
