#include "core/config/kubernetes_deployer_config.hpp"

#include <fmt/format.h>

#include <cctype>

#include "core/config/ssh_deployer_config.hpp"

namespace pushgate {

using yaml::NodeId;

namespace {

// A DNS-1123 label: what Kubernetes accepts as a namespace name.
bool valid_namespace(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
      return false;
  return true;
}

}  // namespace

void read_kubernetes_deployer(ConfigReader& r, NodeId at, const std::string& what, DeployerSettings& d) {
  KubernetesDeployerSettings& k = d.kubernetes;
  if (NodeId n = r.find(at, "kubeconfig"); n == yaml::k_no_node)
    r.error(at, fmt::format("{} needs kubeconfig: a file on this server, like /etc/pushgate/kube/production.yaml",
                            what));
  else if (auto f = read_absolute_file(r, n, what + ".kubeconfig", "/etc/pushgate/kube/production.yaml"))
    k.kubeconfig = *f;
  if (NodeId n = r.find(at, "context"); n != yaml::k_no_node)
    if (auto c = r.string(n, what + ".context")) {
      // An argument of its own to kubectl, so only a leading '-' could be misread.
      if (c->empty() || c->front() == '-') r.error(n, fmt::format("{}.context '{}' is not a context name", what, *c));
      else k.context = *c;
    }
  if (NodeId n = r.find(at, "namespace"); n != yaml::k_no_node)
    if (auto ns = r.string(n, what + ".namespace")) {
      if (valid_namespace(*ns)) k.namespace_name = *ns;
      else r.error(n, fmt::format("{}.namespace '{}' is not a namespace name (lower-case letters, digits and '-', "
                                  "at most 63)", what, *ns));
    }
  if (NodeId n = r.find(at, "kubectl"); n != yaml::k_no_node)
    if (auto f = read_absolute_file(r, n, what + ".kubectl", "/usr/bin/kubectl")) k.kubectl = *f;
}

}  // namespace pushgate
