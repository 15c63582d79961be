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
#include "deployers/ssh/release_stager.hpp"
#include "deployers/ssh/remote_release_folder.hpp"
#include "deployers/ssh/ssh_connection.hpp"
#include "deployers/step_runner.hpp"

namespace pushgate::ssh {

class HostRollout {
 public:
  enum class State { pending, unreachable, failed, ok };

  // `request` (its log already says which host) and `env` must outlive it.
  HostRollout(HostSpec host, const SshSettings& settings, const Environment& env, DeployRequest request);

  // Connects and reads what is live. False (state unreachable or failed)
  // when the host cannot be used.
  bool open();
  // Makes `request.commit` live on the host: a kept release of it when
  // `reuse_kept` and there is one, else release `request.release_id` made
  // as `stager` plans it for this host. False (state failed, why()) when a step failed; the
  // host may then be switched (switched()) and wait for switch_back().
  bool roll_forward(ReleaseStager& stager, bool reuse_kept);
  // Makes what was live before roll_forward live again (or nothing) and
  // removes the release it made. A message for the log when it cannot.
  std::optional<std::string> switch_back();
  // Removes old releases beyond `keep`.
  void prune(std::size_t keep);

  const HostSpec& host() const { return m_host; }
  State state() const { return m_state; }
  bool switched() const { return m_switched; }
  const std::string& why() const { return m_why; }
  const std::optional<Release>& previous() const { return m_previous; }
  const ReleaseUpload& upload() const { return m_upload; }
  RemoteReleaseFolder* folder() { return m_folder.get(); }

 private:
  bool fail(std::string why);
  StepContext context(const Release& release) const;

  HostSpec m_host;
  const SshSettings& m_settings;
  const Environment& m_env;
  DeployRequest m_request;
  std::optional<Connection> m_connection;
  std::unique_ptr<RemoteProcessRunner> m_runner;
  std::unique_ptr<RemoteReleaseFolder> m_folder;
  State m_state = State::pending;
  std::string m_why;
  std::optional<Release> m_previous;
  std::string m_made;  // the release id this rollout wrote, "" when it used a kept one
  bool m_switched = false;
  ReleaseUpload m_upload;
};

}  // namespace pushgate::ssh
