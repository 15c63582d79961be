#pragma once
// Deploys to a Kubernetes cluster (deployer: {type: kubernetes}): the
// environment's subtree of the commit, applied with server-side apply under
// the field manager "pushgate", CustomResourceDefinitions (Established) and
// Namespaces first. Objects are members of the environment's ApplySet
// (inventory.hpp): one removed from Git is pruned, and only members are.
//
// deploy(): apply, then wait until every applied object is ready
// (readiness.hpp) within deployer.timeout. When the apply fails or an object
// does not become ready, the previous live commit is applied again, which
// also prunes what the failed one added, and the outcome is rolled_back.
// What is live is what the ApplySet's parent records: the cluster, not the
// notes, answers live() and releases(). After a deploy the cluster's
// /openapi/v2 is saved for the gate (cluster_schema.hpp).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "deployers/deployer.hpp"
#include "deployers/kubernetes/kubectl.hpp"

namespace pushgate::kubernetes {

class KubernetesDeployer : public Deployer {
 public:
  // `git_dir` is the repository (its cluster schema is saved there);
  // releases are written under `staging` before they are applied and
  // removed after. `runner` must outlive the deployer.
  KubernetesDeployer(Environment env, std::filesystem::path git_dir, std::filesystem::path staging,
                     ProcessRunner& runner);

  DeployOutcome deploy(const DeployRequest& request) override;
  // Applies `to_commit` (the release before the live one when empty) and
  // waits for it; when it does not become ready, what was live is applied
  // again and the outcome is failed.
  DeployOutcome rollback(const DeployRequest& request, const std::string& to_commit) override;
  // What the ApplySet's parent records; nullopt before the first deploy, or
  // when the cluster cannot be asked. Asked once, then after each change.
  std::optional<LiveRelease> live() const override;
  std::vector<LiveRelease> releases() const override;
  // A cluster keeps no release but the live one, so nothing is removed;
  // removing the live one is refused.
  Expected<bool> discard(const std::string& release) override;
  // `kubectl diff --server-side` of `request.commit` (objects missing or
  // different), a dry run of the ApplySet's prune (objects of the
  // environment that the commit no longer has: added), and the parent
  // recording another commit (elsewhere). Changes nothing. An Error when
  // kubectl cannot run or the cluster cannot be asked.
  Expected<Drift> drift(const DeployRequest& request) override;

 private:
  // nullopt when kubectl and the kubeconfig can be used, else why not.
  std::optional<std::string> preflight() const;
  struct Staged {
    std::optional<std::string> error;  // why the release cannot be applied; nullopt when it can
    std::filesystem::path dir;         // under staging: tree/ and objects.json (a List); removed by the caller
    std::vector<nlohmann::json> objects;
  };
  // kubectl's arguments for a server-side apply of the List in `file`
  // under pushgate's field manager; Git wins conflicts with hand edits.
  std::vector<std::string> server_side_apply(const std::string& file) const;
  // The same as a member of the environment's ApplySet, pruning what left it.
  std::vector<std::string> applyset_apply(const std::string& file) const;
  // Writes `commit`'s subtree as release `release` under staging and reads its objects.
  Staged stage(const DeployRequest& request, const std::string& commit, const std::string& release) const;
  struct Applied {
    std::optional<std::string> error;  // why the apply failed; nullopt when it worked
    std::filesystem::path dir;         // the staged release (objects.json); "" when none was made
  };
  // Applies `commit` as release `release`.
  Applied apply(const DeployRequest& request, const std::string& commit, const std::string& release) const;
  // Waits until every object in `objects` is ready; nullopt when they are,
  // else which are not and why.
  std::optional<std::string> wait_ready(const std::filesystem::path& objects, const LineSink& log) const;
  // Applies and waits for `commit`; nullopt when it is live, else why not.
  std::optional<std::string> make_live(const DeployRequest& request, const std::string& commit,
                                       const std::string& release);
  // Applies `commit`, live before `why` happened, again; nullopt when it is
  // live again, else why not.
  std::optional<std::string> restore(const DeployRequest& request, const std::string& why, const std::string& commit);
  std::optional<std::string> record_live(const LiveRelease& live);
  void refresh_schema(const LineSink& log) const;
  std::optional<nlohmann::json> read_inventory() const;
  // The ApplySet's id (its parent's label), nullopt before the first apply.
  std::optional<std::string> applyset_id() const;
  // The message of a deploy that made `commit` live.
  std::string live_message(const std::string& commit) const;
  DeployOutcome outcome(DeployStatus status, const std::string& release, std::string message) const;

  Environment m_env;
  std::filesystem::path m_git_dir;
  std::filesystem::path m_staging;
  Kubectl m_kubectl;
  mutable std::optional<std::vector<LiveRelease>> m_recorded;  // what the parent said last
};

}  // namespace pushgate::kubernetes
