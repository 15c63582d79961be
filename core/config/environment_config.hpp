#pragma once
// `environments:` of REPO.git/pushgate.yaml: which branch deploys where, and
// how. Part of parse_repo_config; apart because it is most of the file.

#include <vector>

#include "core/config/config_reader.hpp"
#include "core/config/repo_config.hpp"

namespace pushgate {

// Reads the `environments:` mapping at `at` into `out`. Every mistake (a
// missing branch or deployer, an unknown key, a relative deployer dir, a
// reserved variable name, ...) is recorded in `reader` at its line and
// column; environments with mistakes may be left out of `out`, so callers
// use `out` only when reader.ok().
void read_environments(ConfigReader& reader, yaml::NodeId at, std::vector<Environment>& out);

}  // namespace pushgate
