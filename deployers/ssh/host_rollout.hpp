#pragma once
// One host's part of a fleet deploy or rollback: connect, make the release
// (or find it kept), run `before`, switch, run `after` and the health check
// on the host, and, when the fleet's rollout fails, switch back. Each step
// is written to the job's log as a line naming the host.

#include <memory>
#include <optional>
#include <string>

#include "core/config/repo_config.hpp"
#include "deployers/deployer.hpp"
#include "deployers/ssh/host_connections.hpp"
#include "deployers/ssh/release_stager.hpp"
#include "deployers/ssh/remote_release_folder.hpp"
#include "deployers/ssh/ssh_connection.hpp"
#include "deployers/step_runner.hpp"

namespace pushgate::ssh {

class HostRollout {
 public:
  enum class State { pending, unreachable, failed, ok };

  // Host `index` of `connections`. `request` (its log already says which
  // host), `connections` and `env` must outlive it.
  HostRollout(HostConnections& connections, std::size_t index, HostSpec host, const Environment& env,
              DeployRequest request);

  // Connects (or reuses the deployer's connection) and reads what is live.
  // False (state unreachable or failed) when the host cannot be used.
  bool open();
  // Makes `request.commit` live on the host: a kept release of it when
  // `reuse_kept` and there is one, else release `request.release_id` made
  // as `stager` plans it for this host. False (state failed, why()) when a step failed; the
  // host may then be switched (switched()) and wait for switch_back().
  bool roll_forward(ReleaseStager& stager, bool reuse_kept);
  // Makes what was live before roll_forward live again (or nothing) and
  // removes the release it made. A message for the log when it cannot.
  std::optional<std::string> switch_back();

  const HostSpec& host() const { return m_host; }
  State state() const { return m_state; }
  bool switched() const { return m_switched; }
  const std::string& why() const { return m_why; }
  const std::optional<Release>& previous() const { return m_previous; }
  const ReleaseUpload& upload() const { return m_upload; }
  // What the host has live now, as far as this rollout knows: nullopt when
  // it could not be asked.
  std::optional<std::optional<Release>> live_now() const;
  RemoteReleaseFolder* folder() { return m_folder.get(); }

 private:
  bool fail(std::string why);
  StepContext context(const Release& release) const;

  HostConnections& m_connections;
  std::size_t m_index;
  HostSpec m_host;
  const Environment& m_env;
  DeployRequest m_request;
  Connection* m_connection = nullptr;
  std::unique_ptr<RemoteProcessRunner> m_runner;
  std::unique_ptr<RemoteReleaseFolder> m_folder;
  State m_state = State::pending;
  std::string m_why;
  std::optional<Release> m_previous;
  bool m_asked = false;  // m_previous is what the host said
  std::string m_made;  // the release id this rollout wrote, "" when it used a kept one
  bool m_switched = false;
  std::optional<Release> m_target;  // what roll_forward switched to
  ReleaseUpload m_upload;
};

}  // namespace pushgate::ssh
