#pragma once
// Drift is recorded once per episode: from the check that first finds it
// until it is healed, a deploy replaces the release, or a check finds the
// target clean again (fixed by hand). The notes hold the first three; the
// last is remembered by the daemon (so after a restart an episode fixed by
// hand meanwhile still counts as open until the next deploy or heal).

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/jobs/job.hpp"
#include "core/records/deploy_status.hpp"

namespace pushgate::daemon {

// The `drifted` record that opened the environment's current episode, as
// "TIMESTAMP COMMIT": the newest drifted record with no succeeded, healed or
// rolled-back record after it (a heal that was rolled back does not count:
// the drifted release is live again). nullopt when there is none.
std::optional<std::string> last_drift_record(const std::vector<CommitRecord>& history);

// What the checks of every environment found, for the episode rule above.
// Safe to use from several worker threads.
class DriftEpisodes {
 public:
  // Whether drift found now continues an open episode (so no new record).
  bool open(const std::string& repo, const std::string& env, const std::vector<CommitRecord>& history) const;
  // A check found the environment clean: its open episode, if any, is over.
  void clean(const std::string& repo, const std::string& env, const std::vector<CommitRecord>& history);

 private:
  mutable std::mutex m_mutex;
  // The episode each environment was last seen clean after.
  std::map<std::pair<std::string, std::string>, std::string> m_closed;
};

}  // namespace pushgate::daemon
