#pragma once
// REPO.git/pushgate.yaml: the per-repository configuration, kept on the
// server outside any pushed tree.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"
#include "core/util/finding.hpp"
#include "core/yaml/yaml_tree.hpp"

namespace pushgate {

// How an administrator set one validator rule: off, or the severity its
// findings get.
enum class RuleSetting { off, warning, error };

// One entry of `validate.signatures:`: the refs it covers and whose keys may
// sign their new commits. At least one of `allowed_signers` and `keyring`
// is set.
struct SignatureRule {
  // Globs (core/util/glob.hpp) of branch names ("main", "release/*"), or of
  // full ref names when they start with "refs/" ("refs/tags/v*").
  std::vector<std::string> branches;
  std::vector<std::string> environments;  // names: the branches they deploy from
  std::string allowed_signers;  // absolute path: an ssh-keygen allowed-signers file; "" none
  std::string keyring;          // absolute path: an OpenPGP keyring for gpgv; "" none
  Location at;                  // where pushgate.yaml writes the entry, for messages
};

// validate.secrets: the secret scan of every new commit (validators/secrets/).
struct SecretScanSettings {
  // The administrator's allow-list of accepted findings, as an absolute path
  // (relative to the config's folder when written); "" for none.
  std::string allowlist;
  Location allowlist_at;  // where pushgate.yaml names it, for messages
  // Larger files are not scanned; each is a secrets.file-size finding.
  std::uint64_t file_size = 4u << 20;
  // A push bringing more new commits is rejected unscanned (an import of a
  // long history: raise it for that push).
  std::size_t max_commits = 10'000;
};

struct ValidateSettings {
  std::vector<std::string> include{"**/*.yaml", "**/*.yml", "**/*.json"};
  std::vector<std::string> exclude;
  std::uint64_t file_size = 1 << 20;
  yaml::Limits limits;
  std::chrono::milliseconds time_budget{10'000};
  std::size_t max_findings = 50;
  std::map<std::string, RuleSetting, std::less<>> rules;  // rule id -> override
  // Where each override was written, so a rule id the validators do not know
  // can be reported at its line and column (validators/rule_catalog.hpp).
  std::map<std::string, Location, std::less<>> rule_locations;
  // validate.schemas: OpenAPI v2/v3 documents and folders of CRD manifests,
  // as absolute paths (a relative entry is taken from the config's folder).
  // Empty: objects are checked for structure only, not against schemas.
  std::vector<std::string> schemas;
  Location schemas_at;  // where pushgate.yaml lists them, for messages
  // validate.signatures, in order: the first entry that covers a ref applies.
  std::vector<SignatureRule> signatures;
  SecretScanSettings secrets;
};

enum class DeployerType { local, command, ssh, kubernetes };

// A part of a fleet: a number of hosts, or a percentage of them.
struct FleetShare {
  std::size_t value = 0;
  bool percent = false;
  // How many of `hosts`: a percentage rounded down, or up when `at_least_one`.
  std::size_t of(std::size_t hosts, bool at_least_one) const {
    std::size_t n = percent ? (hosts * value + (at_least_one ? 99 : 0)) / 100 : value;
    return at_least_one ? std::max<std::size_t>(n, 1) : n;
  }
};

// One host of an ssh deployer; port 0 and an empty user or dir mean the
// deployer's.
struct SshHost {
  std::string host;
  int port = 0;
  std::string user;
  std::string dir;
};

// `deployer: {type: ssh}` beyond what every deployer has.
struct SshDeployerSettings {
  std::vector<SshHost> hosts;
  std::string user;         // "" : the daemon's account name
  int port = 22;
  std::string identity;     // private key file on the server
  std::string known_hosts;  // the only host keys trusted
  std::size_t parallel = 1;                        // hosts at once within a batch
  FleetShare batch{100, true};                     // hosts per rolling step; the first is the canary
  FleetShare max_unavailable{0, false};            // unreachable hosts a rollout may leave behind
  std::chrono::milliseconds connect_timeout{10'000};
};

// `deployer: {type: kubernetes}` beyond what every deployer has. The
// kubeconfig is an administrator's file, trusted as pushgate.yaml is.
struct KubernetesDeployerSettings {
  std::string kubeconfig;               // absolute path on the server
  std::string context;                  // "" : the kubeconfig's current context
  std::string namespace_name = "default";  // for objects that name none, and the inventory
  std::string kubectl = "kubectl";      // looked up in PATH unless absolute
};

// `deployer:` of an environment. Commands are argv lists; `{release}` in an
// argument is replaced by the release folder.
struct DeployerSettings {
  DeployerType type = DeployerType::local;
  std::string dir;                                // local: the target folder; ssh: on each host
  Location dir_at;                                // where pushgate.yaml sets dir, for messages
  std::size_t keep_releases = 5;
  std::vector<std::vector<std::string>> before;   // run in the new release before the switch
  std::vector<std::vector<std::string>> after;    // run after the switch
  std::vector<std::string> run;                   // command: what deploys the release
  std::chrono::milliseconds timeout{600'000};     // per command
  // Caps on what a release may hold, checked from object headers before a
  // blob is read: a small push can hold a huge, well-compressed blob.
  std::uint64_t max_file_size = 100ull << 20;     // one file (blob)
  std::uint64_t max_release_size = 1ull << 30;    // all files of a release
  SshDeployerSettings ssh;                        // type: ssh
  KubernetesDeployerSettings kubernetes;          // type: kubernetes; `timeout` bounds readiness
};

// `health:`: run after the switch; the release is rolled back when it fails
// `retries` times in a row. Exactly one of `command` and `http` is set.
struct HealthCheck {
  std::vector<std::string> command;           // argv, run on the server
  std::chrono::milliseconds timeout{30'000};  // per try; for http, connecting and the answer in all
  int retries = 3;
  std::chrono::milliseconds interval{1'000};
  std::string http;                           // URL to GET; `{host}` is replaced per host
  int expect = 200;                           // the status `http` must answer
};

// What the daemon does with a deploy it finds cut off at start-up.
enum class OnInterrupt { retry, rollback };

// `retry:`: attempts of a failed deploy, and what to do after a crash.
struct RetryPolicy {
  int attempts = 1;
  std::chrono::milliseconds delay{0};
  OnInterrupt on_interrupt = OnInterrupt::retry;
};

// `drift:`: how often the daemon compares the target with the live release,
// and whether it re-applies the live commit when they differ.
struct DriftSettings {
  std::chrono::milliseconds interval{300'000};
  bool heal = false;
};

struct Environment {
  std::string name;
  std::string branch;  // short name: "main" for refs/heads/main
  std::string path;    // subtree to deploy; "" is the whole tree
  DeployerSettings deployer;
  std::optional<HealthCheck> health;
  RetryPolicy retry;
  // `env:` and `secrets:` both reach commands as variables; secret values
  // are replaced by "***" wherever they would appear in logs and notes.
  std::vector<std::pair<std::string, std::string>> variables;
  std::vector<std::pair<std::string, std::string>> secrets;
  // `allowed_pushers:` account names and "@group"s that may push to
  // `branch` and deploy or roll back by hand; empty: anyone who can push.
  std::vector<std::string> allowed_pushers;
  std::optional<DriftSettings> drift;  // nullopt: no drift checks
};

struct RepoConfig {
  ValidateSettings validate;
  std::vector<Environment> environments;
};

// The file name inside the git directory.
inline constexpr std::string_view k_repo_config_name = "pushgate.yaml";

// Parses `text`; `file` names it in messages. An invalid config yields an
// Error (ErrorCode::config) listing every problem as file:line:col.
Expected<RepoConfig> parse_repo_config(std::string_view text, const std::string& file);

// Loads `git_dir`/pushgate.yaml; a missing file gives the defaults. The file
// must belong to root or the owner of `git_dir` and be writable by nobody
// else (core/util/trusted_file.hpp); otherwise an Error (ErrorCode::config) names
// the file, its owner and mode, and the fix.
Expected<RepoConfig> load_repo_config(const std::string& git_dir);

// The repository's hooks folder (`git_dir`/hooks) runs as every pusher and
// decides what is checked: it must pass the same test as pushgate.yaml. True
// when it does or does not exist; otherwise the Error names the folder, its
// owner or mode, and the fix.
Expected<bool> check_hooks_folder(const std::string& git_dir);

// The environment of `config` named `name` (owned by `config`). When there
// is none: an Error (ErrorCode::usage) naming `repo`, `name` and the
// environments `config` has.
Expected<const Environment*> find_environment(const RepoConfig& config, std::string_view name,
                                              std::string_view repo);

}  // namespace pushgate
