#include "core/config/drift_config.hpp"

#include <fmt/format.h>

namespace pushgate {

std::optional<DriftSettings> read_drift(ConfigReader& r, yaml::NodeId at, const std::string& what,
                                        DeployerType type) {
  if (!r.mapping(at, what)) return std::nullopt;
  r.only_keys(at, what, {"interval", "heal"});
  if (type == DeployerType::command) {
    // What `run` deployed is out of pushgate's sight; its own release folder
    // is only the input it was given.
    r.error(at, fmt::format("{}: a command deployer has no drift pushgate can see (it cannot tell what `run` "
                            "changed); remove drift: or check the target in the command itself",
                            what));
    return std::nullopt;
  }
  DriftSettings out;
  if (yaml::NodeId n = r.find(at, "interval"); n != yaml::k_no_node) {
    auto interval = r.duration(n, what + ".interval");
    if (!interval) return std::nullopt;
    if (*interval < k_min_drift_interval) {
      r.error(n, fmt::format("{}.interval must be at least 1s (5m is a good start)", what));
      return std::nullopt;
    }
    out.interval = *interval;
  }
  if (yaml::NodeId n = r.find(at, "heal"); n != yaml::k_no_node) {
    auto heal = r.boolean(n, what + ".heal");
    if (!heal) return std::nullopt;
    out.heal = *heal;
  }
  return out;
}

}  // namespace pushgate
