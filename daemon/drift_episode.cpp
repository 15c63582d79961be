#include "daemon/drift_episode.hpp"

namespace pushgate::daemon {

std::optional<std::string> last_drift_record(const std::vector<CommitRecord>& history) {
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    switch (it->record.status) {
      case DeployStatus::drifted: return it->record.timestamp + " " + it->commit;
      case DeployStatus::succeeded:
      case DeployStatus::healed: return std::nullopt;
      case DeployStatus::rolled_back:
        // A heal rolled back left the drifted release live; a rollback job made another one live.
        if (it->record.field("kind") == to_string(JobKind::drift)) break;
        return std::nullopt;
      // A failed deploy or heal leaves the release (and its drift) as it was.
      default: break;
    }
  }
  return std::nullopt;
}

bool DriftEpisodes::open(const std::string& repo, const std::string& env,
                         const std::vector<CommitRecord>& history) const {
  auto last = last_drift_record(history);
  if (!last) return false;
  std::lock_guard lock(m_mutex);
  auto closed = m_closed.find({repo, env});
  return closed == m_closed.end() || closed->second != *last;
}

void DriftEpisodes::clean(const std::string& repo, const std::string& env,
                          const std::vector<CommitRecord>& history) {
  auto last = last_drift_record(history);
  if (!last) return;
  std::lock_guard lock(m_mutex);
  m_closed[{repo, env}] = *last;
}

}  // namespace pushgate::daemon
