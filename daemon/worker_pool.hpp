#pragma once
// The threads that run deploys: one per running dispatch (the scheduler
// bounds how many), each announcing its end on an eventfd that the daemon's
// poll() loop watches.

#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "core/jobs/job.hpp"
#include "core/util/unique_fd.hpp"
#include "daemon/scheduler.hpp"

namespace pushgate::daemon {

class WorkerPool {
 public:
  using Work = std::function<void(const Dispatch&)>;

  // Throws Failure when the eventfd cannot be made.
  explicit WorkerPool(Work work);
  // Waits for every running worker.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs the work on `dispatch` in a new thread.
  void start(Dispatch dispatch);
  // Readable when a worker finished.
  int fd() const { return m_event.get(); }
  // The jobs of the workers that finished since the last call; their
  // threads are joined.
  std::vector<Job> collect();
  std::size_t running() const;

 private:
  Work m_work;
  UniqueFd m_event;
  mutable std::mutex m_mutex;
  std::map<std::uint64_t, std::thread> m_threads;  // by job id
  std::vector<Job> m_finished;
};

}  // namespace pushgate::daemon
