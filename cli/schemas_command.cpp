// `pushgate schemas fetch REPO.git ENV`: saves the /openapi/v2 of the cluster
// that ENV's kubernetes deployer deploys to beside pushgate.yaml, so the
// gate's k8s.schema check knows that cluster's kinds and CRDs. The daemon
// refreshes the same file after each deploy to ENV.

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "core/config/repo_config.hpp"
#include "core/git/git.hpp"
#include "core/jobs/job.hpp"
#include "core/util/trusted_file.hpp"
#include "deployers/kubernetes/cluster_schema.hpp"
#include "deployers/kubernetes/kubectl.hpp"

namespace pushgate::cli {

namespace {

struct SchemasArgs {
  std::string repo;
  std::string env;
};

ExitCode run_fetch(const SchemasArgs& args) {
  git::RepositoryPtr repo = git::open(args.repo).value();
  std::string git_dir = git::git_dir(repo.get());
  RepoConfig config = load_repo_config(git_dir).value();
  const Environment* env = find_environment(config, args.env, repo_identity(git_dir)).value();
  if (env->deployer.type != DeployerType::kubernetes)
    throw Failure(ErrorCode::usage, fmt::format("environment '{}' of {} does not deploy to Kubernetes (its deployer "
                                                "is not type: kubernetes); there is no cluster to ask",
                                                args.env, git_dir));
  const KubernetesDeployerSettings& k = env->deployer.kubernetes;
  check_trusted(k.kubeconfig, {::geteuid()}).value();
  SystemProcessRunner runner;
  kubernetes::Kubectl kubectl(k, runner, env->deployer.timeout);
  std::filesystem::path file = kubernetes::cluster_schema_file(git_dir, env->name);
  std::uintmax_t size = kubernetes::save_cluster_schema(kubectl, file).value();
  std::cout << fmt::format("pushgate: saved the schemas of {}'s cluster ({} bytes) to {}\n", env->name, size,
                           file.string());
  std::filesystem::path relative = file.lexically_relative(git_dir);
  bool listed = std::find(config.validate.schemas.begin(), config.validate.schemas.end(), file.string()) !=
                config.validate.schemas.end();
  if (!listed)
    std::cout << fmt::format("pushgate: the gate checks against it once pushgate.yaml lists it: "
                             "validate: {{schemas: [{}]}}\n",
                             relative.string());
  return ExitCode::ok;
}

}  // namespace

void add_schemas_command(CLI::App& app, ExitCode& exit_code) {
  CLI::App* schemas = app.add_subcommand("schemas", "Schemas the gate checks manifests against");
  schemas->require_subcommand(1);
  auto args = std::make_shared<SchemasArgs>();
  CLI::App* fetch = schemas->add_subcommand(
      "fetch",
      "Save the /openapi/v2 of ENV's cluster (its built-in kinds and installed CRDs) as\n"
      "REPO.git/pushgate-schemas/ENV.openapi-v2.json, replacing the old one in one rename.\n"
      "List it in validate.schemas; pushgated refreshes it after each deploy to ENV.\n"
      "Exit status: 0 saved, 2 usage or config error, 3 the cluster could not be asked.");
  add_repo_argument(fetch, args->repo);
  fetch->add_option("env", args->env, "an environment of its pushgate.yaml with deployer type: kubernetes")
      ->required();
  fetch->callback([args, &exit_code] { exit_code = run_fetch(*args); });
}

}  // namespace pushgate::cli
