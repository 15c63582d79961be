#pragma once
// How pushgate talks to a cluster: kubectl, with the environment's
// kubeconfig and context on every call, argv only (so kubeconfig exec and
// auth plugins work as users expect). The ApplySet features pushgate prunes
// with need kubectl >= 1.27 (k_min_kubectl_minor).

#include <chrono>
#include <string>
#include <vector>

#include "core/config/repo_config.hpp"
#include "core/util/error.hpp"
#include "core/util/process.hpp"

namespace pushgate::kubernetes {

// The oldest kubectl 1.x that has ApplySet pruning with server-side apply.
inline constexpr int k_min_kubectl_minor = 27;

// One kubectl run: stdout kept apart from stderr, so JSON stays parseable
// when kubectl warns.
struct KubectlResult {
  ProcessResult process;
  std::string out;                  // stdout, lines joined with '\n'
  std::vector<std::string> errors;  // stderr's lines
  bool ok() const { return process.ok(); }
  // Why it failed, for logs and notes: kubectl's last error lines, or how
  // the process ended when it said nothing.
  std::string describe() const;
};

class Kubectl {
 public:
  // `runner` must outlive this; `timeout` bounds each call.
  Kubectl(KubernetesDeployerSettings settings, ProcessRunner& runner, std::chrono::milliseconds timeout);

  // Runs kubectl ARGS with --kubeconfig (and --context) first; ApplySet is
  // switched on for apply. Never throws for kubectl's own failures.
  KubectlResult run(const std::vector<std::string>& args) const;
  // Same, bounded by `timeout` instead of the default.
  KubectlResult run(const std::vector<std::string>& args, std::chrono::milliseconds timeout) const;
  // Same, with stdout kept byte for byte (kubectl get --raw: megabytes on one line).
  KubectlResult fetch(const std::vector<std::string>& args) const;

  // nullopt when the client is recent enough for ApplySet pruning, else why
  // not (too old, or its version cannot be read).
  std::optional<std::string> check_version() const;

  const KubernetesDeployerSettings& settings() const { return m_settings; }
  std::chrono::milliseconds timeout() const { return m_timeout; }

 private:
  enum class Output { lines, raw };
  KubectlResult execute(const std::vector<std::string>& args, std::chrono::milliseconds timeout, Output output) const;

  KubernetesDeployerSettings m_settings;
  ProcessRunner& m_runner;
  std::chrono::milliseconds m_timeout;
};

}  // namespace pushgate::kubernetes
