#pragma once
// Deploys into a folder on this machine (`type: local`): each release is the
// environment's subtree of the commit in DIR/releases/<id>, and DIR/current
// points at the live one (see release_folder.hpp for the layout).
//
// deploy(): write the release; run `before` in it (a failure leaves
// everything as it was); switch DIR/current; run `after` and the health
// check; when either fails, switch back to the release that was live (or
// remove DIR/current after a first deploy) and report rolled_back. Failed
// releases are removed, so only releases that were good stay for rollbacks;
// keep_releases prunes the oldest.

#include <filesystem>
#include <optional>
#include <string>

#include "deployers/deployer.hpp"
#include "deployers/release_folder.hpp"
#include "deployers/step_runner.hpp"

namespace pushgate {

class LocalDeployer : public Deployer {
 public:
  // Releases go to `root` (the environment's deployer.dir for `type:
  // local`). `runner` must outlive the deployer.
  LocalDeployer(Environment env, std::filesystem::path root, ProcessRunner& runner);

  DeployOutcome deploy(const DeployRequest& request) override;
  // Switches to the newest kept release of `to_commit` (any prefix of its id
  // of at least 7 hex), or to the release before the live one when empty;
  // runs `after` and the health check, and switches back on failure. When
  // `to_commit` is no longer kept, it is deployed afresh from the
  // repository as release `request.release_id`. Reports succeeded or failed.
  DeployOutcome rollback(const DeployRequest& request, const std::string& to_commit) override;
  std::optional<LiveRelease> live() const override;
  std::vector<LiveRelease> releases() const override;
  Expected<bool> discard(const std::string& release) override;
  // DIR/current against the expected release, and that release's folder
  // against its snapshot (made after `before`, as it went live) and the
  // commit's tree. A release without a snapshot has every file hashed.
  Expected<Drift> drift(const DeployRequest& request) override;

 protected:
  // What makes a release the running one besides DIR/current, run after
  // `before` and before the switch (also for the release switched back to).
  // nullopt when it worked, else why not. A local folder needs nothing.
  virtual std::optional<std::string> activate(const StepRunner& steps, const StepContext& context);

  const Environment& environment() const { return m_env; }

 private:
  enum class Switch { done, not_switched, switched_back, stuck };
  struct SwitchResult {
    Switch result;
    std::string message;  // why not, and what is live now; "" when done
  };
  // Makes `release` live: activate, switch, `after`, health check. When
  // `after` or the health check fails, switches back to `previous`.
  SwitchResult go_live(const StepRunner& steps, const Release& release, const StepContext& context,
                       const std::optional<Release>& previous);
  // Switches back to `previous` (or to nothing) after `why` made the
  // release just switched to fail; returns what to tell people.
  std::string switch_back(const StepRunner& steps, const std::string& why,
                          const std::optional<Release>& previous);
  // The live release, or "nothing", for messages.
  std::string describe_live() const;

  Environment m_env;
  ReleaseFolder m_folder;
  ProcessRunner& m_runner;
};

}  // namespace pushgate
