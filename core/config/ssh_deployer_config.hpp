#pragma once
// `deployer: {type: ssh, ...}` of an environment: the fleet, how to reach
// it, and how fast to roll over it. Part of read_environments.

#include <optional>
#include <string>
#include <string_view>

#include "core/config/config_reader.hpp"
#include "core/config/repo_config.hpp"

namespace pushgate {

// Reads the ssh-only keys of the deployer mapping `at` into `d.ssh` and
// `d.dir` (the hosts' folder unless a host names its own); `what` names the
// mapping in messages. Mistakes are recorded in `r` at their line and column.
void read_ssh_deployer(ConfigReader& r, yaml::NodeId at, const std::string& what, DeployerSettings& d);

// An absolute folder at `at`, normalised ("/srv/app" for "/srv/app/"), or
// nullopt after recording why not: relative, or '/' itself (a deploy removes
// old releases there).
std::optional<std::string> read_absolute_dir(ConfigReader& r, yaml::NodeId at, const std::string& what);

// An absolute file path at `at`, or nullopt after recording why not, with
// `example` as an example of one.
std::optional<std::string> read_absolute_file(ConfigReader& r, yaml::NodeId at, const std::string& what,
                                              std::string_view example = "/etc/pushgate/ssh/id_ed25519");

}  // namespace pushgate
