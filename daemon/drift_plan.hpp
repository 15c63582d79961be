#pragma once
// When each environment with `drift:` is checked next. Pure bookkeeping, no
// I/O and no clock of its own: the daemon tells it the time, arms one timer
// for next_due() and sleeps until then, so an idle daemon never polls.
//
// An environment is checked `interval` after its previous check ended (or
// after it was first seen), never twice at once.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pushgate::daemon {

// One environment whose target is checked for drift.
struct DriftTarget {
  std::string repo;  // repo_identity
  std::string env;
  std::chrono::milliseconds interval{0};
  bool operator==(const DriftTarget&) const = default;
};

class DriftPlan {
 public:
  using Clock = std::chrono::steady_clock;

  // The environments that have drift configured now: new ones are first due
  // an interval from `now`, those that stay keep their time (a changed
  // interval counts from now), the rest are forgotten.
  void set_targets(const std::vector<DriftTarget>& targets, Clock::time_point now);
  // The targets due at `now`, marked as being checked until done().
  std::vector<DriftTarget> take_due(Clock::time_point now);
  // The check of `repo`/`env` ended at `now`: due again an interval later.
  void done(const std::string& repo, const std::string& env, Clock::time_point now);
  // The earliest time a target is due; nullopt when none waits (none
  // configured, or all being checked).
  std::optional<Clock::time_point> next_due() const;

 private:
  using Key = std::pair<std::string, std::string>;
  struct State {
    std::chrono::milliseconds interval{0};
    Clock::time_point due;
    bool checking = false;
  };
  std::map<Key, State> m_targets;
};

}  // namespace pushgate::daemon
