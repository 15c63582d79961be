#include "daemon/worker_pool.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/util/error.hpp"

namespace pushgate::daemon {

WorkerPool::WorkerPool(Work work)
    : m_work(std::move(work)), m_event(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!m_event) throw Failure(ErrorCode::io, std::string("cannot create an eventfd: ") + std::strerror(errno));
}

WorkerPool::~WorkerPool() {
  std::map<std::uint64_t, std::thread> threads;
  {
    std::lock_guard lock(m_mutex);
    threads.swap(m_threads);
  }
  for (auto& [id, thread] : threads) thread.join();
}

void WorkerPool::start(Dispatch dispatch) {
  std::lock_guard lock(m_mutex);
  std::uint64_t id = dispatch.job.id;
  m_threads.emplace(id, std::thread([this, d = std::move(dispatch)] {
    m_work(d);
    {
      std::lock_guard done(m_mutex);
      m_finished.push_back(d.job);
    }
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(m_event.get(), &one, sizeof one);
  }));
}

std::vector<Job> WorkerPool::collect() {
  std::uint64_t count = 0;
  [[maybe_unused]] ssize_t n = ::read(m_event.get(), &count, sizeof count);
  std::vector<Job> finished;
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(m_mutex);
    finished.swap(m_finished);
    for (const Job& job : finished) {
      auto it = m_threads.find(job.id);
      if (it == m_threads.end()) continue;
      threads.push_back(std::move(it->second));
      m_threads.erase(it);
    }
  }
  // The threads have done their work; joining only reaps them.
  for (auto& t : threads) t.join();
  return finished;
}

std::size_t WorkerPool::running() const {
  std::lock_guard lock(m_mutex);
  return m_threads.size();
}

}  // namespace pushgate::daemon
