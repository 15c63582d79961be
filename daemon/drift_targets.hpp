#pragma once
// Which environments of the served repositories have `drift:` configured.

#include <vector>

#include "core/config/daemon_config.hpp"
#include "daemon/drift_plan.hpp"

namespace pushgate::daemon {

// The environments with drift: of every repository that `daemon`'s
// repositories: names (patterns expanded as the shell does; `**` as `*`).
// A repository whose pushgate.yaml cannot be read is left out: its own
// jobs say why.
std::vector<DriftTarget> find_drift_targets(const DaemonConfig& daemon);

}  // namespace pushgate::daemon
