#pragma once
// `drift: {interval: 5m, heal: false}` of an environment. Part of
// read_environments.

#include <chrono>
#include <optional>
#include <string>

#include "core/config/config_reader.hpp"
#include "core/config/repo_config.hpp"

namespace pushgate {

// The shortest interval accepted: a check walks the whole release, so one
// per second per environment is the most that stays cheap (and what tests
// use).
inline constexpr std::chrono::milliseconds k_min_drift_interval{1'000};

// Reads the drift mapping at `at` of an environment deploying with `type`;
// `what` names it in messages. Mistakes (an unknown key, an interval under
// k_min_drift_interval, a type that has no drift to check) are recorded in
// `r` at their line and column, and give nullopt.
std::optional<DriftSettings> read_drift(ConfigReader& r, yaml::NodeId at, const std::string& what,
                                        DeployerType type);

}  // namespace pushgate
