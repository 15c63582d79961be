#include "validators/policy/policy_catalog.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace pushgate {

namespace {

// Errors for what gives a container the node (or blocks deploys outright);
// warnings for hardening that most images need work to meet, so a tree that
// is fine today does not turn red. kube-linter's default checks, which fail
// on all of these, were the guide.
constexpr std::array<PolicyRule, 18> k_rules = {{
    {"policy.capabilities", Severity::error,
     "a container adds a Linux capability that the Pod Security Standards' baseline profile forbids "
     "(SYS_ADMIN, NET_ADMIN, NET_RAW, ALL, ...)"},
    {"policy.dangling-hpa", Severity::warning,
     "a HorizontalPodAutoscaler whose scaleTargetRef names no object of the tree"},
    {"policy.dangling-ingress", Severity::warning, "an Ingress backend naming a Service that is not in the tree"},
    {"policy.dangling-pdb", Severity::warning,
     "a PodDisruptionBudget whose selector matches no pod template of the tree"},
    {"policy.dangling-service", Severity::warning, "a Service whose selector matches no pod template of the tree"},
    {"policy.default-service-account", Severity::warning,
     "pods that run as the namespace's default service account (serviceAccountName unset or \"default\", "
     "and the token mounted)"},
    {"policy.duplicate-env", Severity::error, "the same environment variable twice in one container"},
    {"policy.host-namespaces", Severity::error, "hostNetwork, hostPID or hostIPC: true"},
    {"policy.host-path", Severity::warning, "a hostPath volume"},
    {"policy.ignore", Severity::error,
     "a pushgate.dev/ignore annotation without a reason, or naming no policy rule"},
    {"policy.latest-tag", Severity::error, "an image without a tag, or tagged :latest (a digest pins it: fine)"},
    {"policy.privilege-escalation", Severity::warning, "a container whose allowPrivilegeEscalation is not false"},
    {"policy.privileged", Severity::error, "a privileged container"},
    {"policy.probes", Severity::warning,
     "a long-running container without a readinessProbe or livenessProbe (Jobs and CronJobs are exempt)"},
    {"policy.resources", Severity::warning,
     "a container without CPU and memory requests and limits (a limit alone also sets the request)"},
    {"policy.run-as-root", Severity::warning,
     "a container that may run as root: runAsNonRoot not true at pod or container level and no runAsUser "
     "above 0, or runAsUser: 0"},
    {"policy.sensitive-host-path", Severity::error,
     "a hostPath volume of /, /etc, /proc, /sys, /root, /var/lib/kubelet, /var/run/docker.sock or another "
     "path that gives away the node"},
    {"policy.writable-root-fs", Severity::warning, "a container whose readOnlyRootFilesystem is not true"},
}};

}  // namespace

std::span<const PolicyRule> policy_rules() { return k_rules; }

const PolicyRule* find_policy_rule(std::string_view id) {
  auto it = std::find_if(k_rules.begin(), k_rules.end(), [&](const PolicyRule& r) { return r.id == id; });
  return it == k_rules.end() ? nullptr : &*it;
}

Severity policy_severity(std::string_view id) {
  const PolicyRule* rule = find_policy_rule(id);
  if (!rule) throw std::logic_error("no policy rule " + std::string(id));  // a check and the table disagree
  return rule->severity;
}

}  // namespace pushgate
