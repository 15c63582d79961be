#pragma once
// The connections of one deployer, one per host, opened on first use and
// kept while the deployer lives (the daemon makes one per job): reading what
// is live before a deploy, the rollout and the status after it log in to
// each host once instead of three times.

#include <cstddef>
#include <optional>
#include <vector>

#include "core/util/error.hpp"
#include "deployers/ssh/ssh_connection.hpp"

namespace pushgate::ssh {

class HostConnections {
 public:
  // `hosts` and `settings` must outlive the connections.
  HostConnections(const std::vector<HostSpec>& hosts, const SshSettings& settings);

  // Host `i`'s connection, opened now when none is kept, or when `fresh`
  // (the kept one is closed first: it may have died since it was used).
  // Errors as Connection::open's; a host that cannot be reached is tried
  // again next time. Each host may be used by one thread at a time; the
  // connection stays owned here.
  Expected<Connection*> get(std::size_t i, bool fresh = false);

 private:
  const std::vector<HostSpec>& m_hosts;
  const SshSettings& m_settings;
  std::vector<std::optional<Connection>> m_open;
};

}  // namespace pushgate::ssh
