#include "daemon/scheduler.hpp"

#include <algorithm>

namespace pushgate::daemon {

namespace {

// Queue order: recovered work first, then by job number.
bool runs_before(bool recovered_a, std::uint64_t a, bool recovered_b, std::uint64_t b) {
  if (recovered_a != recovered_b) return recovered_a;
  return a < b;
}

}  // namespace

void Scheduler::insert(Entry entry) {
  if (!m_known.insert(entry.job.id).second) return;
  auto& queue = m_queues[{entry.job.repo, entry.job.env}];
  auto at = std::find_if(queue.begin(), queue.end(), [&](const Entry& e) {
    return runs_before(entry.recovered, entry.job.id, e.recovered, e.job.id);
  });
  queue.insert(at, std::move(entry));
}

void Scheduler::add_waiting(const Job& job) { insert({job, false}); }

void Scheduler::add_recovered(const Job& job) { insert({job, true}); }

std::size_t Scheduler::waiting() const {
  std::size_t n = 0;
  for (const auto& [key, queue] : m_queues) n += queue.size();
  return n;
}

std::optional<Dispatch> Scheduler::next() {
  if (m_running.size() >= m_workers) return std::nullopt;
  // Among free environments, the one whose first job has waited longest.
  auto best = m_queues.end();
  for (auto it = m_queues.begin(); it != m_queues.end(); ++it) {
    if (it->second.empty() || m_running.contains(it->first)) continue;
    const Entry& front = it->second.front();
    if (best == m_queues.end() ||
        runs_before(front.recovered, front.job.id, best->second.front().recovered,
                    best->second.front().job.id))
      best = it;
  }
  if (best == m_queues.end()) return std::nullopt;

  auto& queue = best->second;
  Dispatch dispatch;
  std::vector<std::uint64_t>& held = m_running[best->first];
  bool coalesce = !queue.front().recovered && queue.front().job.kind == JobKind::push;
  // The run of push jobs at the front of the queue: all but the newest are superseded.
  std::size_t run = 1;
  if (coalesce)
    while (run < queue.size() && !queue[run].recovered && queue[run].job.kind == JobKind::push) ++run;
  for (std::size_t i = 0; i + 1 < run; ++i) {
    dispatch.superseded.push_back(std::move(queue[i].job));
    held.push_back(dispatch.superseded.back().id);
  }
  dispatch.job = std::move(queue[run - 1].job);
  dispatch.recovered = queue[run - 1].recovered;
  held.push_back(dispatch.job.id);
  queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(run));
  if (queue.empty()) m_queues.erase(best);
  return dispatch;
}

void Scheduler::finished(const Job& job) {
  auto it = m_running.find({job.repo, job.env});
  if (it == m_running.end()) return;
  for (std::uint64_t id : it->second) m_known.erase(id);
  m_running.erase(it);
}

}  // namespace pushgate::daemon
