#pragma once
// `deployer: {type: kubernetes, ...}` of an environment: which cluster,
// which context and namespace, and which kubectl. Part of read_environments.

#include <string>

#include "core/config/config_reader.hpp"
#include "core/config/repo_config.hpp"

namespace pushgate {

// Reads the kubernetes-only keys of the deployer mapping `at` into
// `d.kubernetes`; `what` names the mapping in messages. Mistakes are
// recorded in `r` at their line and column.
void read_kubernetes_deployer(ConfigReader& r, yaml::NodeId at, const std::string& what, DeployerSettings& d);

}  // namespace pushgate
