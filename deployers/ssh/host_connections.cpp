#include "deployers/ssh/host_connections.hpp"

namespace pushgate::ssh {

HostConnections::HostConnections(const std::vector<HostSpec>& hosts, const SshSettings& settings)
    : m_hosts(hosts), m_settings(settings), m_open(hosts.size()) {}

Expected<Connection*> HostConnections::get(std::size_t i, bool fresh) {
  std::optional<Connection>& kept = m_open.at(i);
  if (fresh) kept.reset();
  if (!kept) {
    auto opened = Connection::open(m_hosts[i], m_settings);
    if (!opened) return opened.error();
    kept.emplace(std::move(*opened));
  }
  return &*kept;
}

}  // namespace pushgate::ssh
