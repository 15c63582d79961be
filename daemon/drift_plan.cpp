#include "daemon/drift_plan.hpp"

namespace pushgate::daemon {

void DriftPlan::set_targets(const std::vector<DriftTarget>& targets, Clock::time_point now) {
  std::map<Key, State> fresh;
  for (const auto& t : targets) {
    auto old = m_targets.find({t.repo, t.env});
    State state{t.interval, now + t.interval, false};
    if (old != m_targets.end()) {
      state.checking = old->second.checking;
      if (old->second.interval == t.interval) state.due = old->second.due;
    }
    fresh[{t.repo, t.env}] = state;
  }
  m_targets = std::move(fresh);
}

std::vector<DriftTarget> DriftPlan::take_due(Clock::time_point now) {
  std::vector<DriftTarget> due;
  for (auto& [key, state] : m_targets) {
    if (state.checking || state.due > now) continue;
    state.checking = true;
    due.push_back({key.first, key.second, state.interval});
  }
  return due;
}

void DriftPlan::done(const std::string& repo, const std::string& env, Clock::time_point now) {
  auto it = m_targets.find({repo, env});
  if (it == m_targets.end()) return;
  it->second.checking = false;
  it->second.due = now + it->second.interval;
}

std::optional<DriftPlan::Clock::time_point> DriftPlan::next_due() const {
  std::optional<Clock::time_point> earliest;
  for (const auto& [key, state] : m_targets)
    if (!state.checking && (!earliest || state.due < *earliest)) earliest = state.due;
  return earliest;
}

}  // namespace pushgate::daemon
