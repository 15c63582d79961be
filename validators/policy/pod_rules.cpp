#include "validators/policy/pod_rules.hpp"

#include <fmt/format.h>

#include "validators/k8s/k8s_object.hpp"
#include "validators/policy/container_rules.hpp"
#include "validators/policy/field_values.hpp"
#include "validators/policy/host_paths.hpp"

namespace pushgate {

namespace {

using yaml::k_no_node;
using yaml::NodeId;
using yaml::NodeKind;

void check_host_namespaces(const PodCheck& check) {
  for (std::string_view field : {"hostNetwork", "hostPID", "hostIPC"}) {
    NodeId node = check.doc().find(check.pod.spec, field);
    if (boolean_at(check.doc(), node) == true)
      check.report("policy.host-namespaces", node,
                   fmt::format("{}: true shares the node's namespace with the pod, so it sees (and can reach) "
                               "what the node does: remove it",
                               field));
  }
}

void check_volumes(const PodCheck& check) {
  const yaml::Document& doc = check.doc();
  NodeId volumes = doc.find(check.pod.spec, "volumes");
  if (volumes == k_no_node || doc.node(volumes).kind != NodeKind::sequence) return;
  for (NodeId volume : doc.node(volumes).children) {
    NodeId path = doc.find(doc.find(volume, "hostPath"), "path");
    if (path == k_no_node || doc.node(path).kind != NodeKind::scalar) continue;
    std::string name = quoted(scalar_text(doc, doc.find(volume, "name")));
    std::string_view host = doc.node(path).value;
    if (is_sensitive_host_path(host))
      check.report("policy.sensitive-host-path", path,
                   fmt::format("volume {} mounts {} of the node, which gives the pod the node itself: remove it",
                               name, quoted(host)));
    else
      check.report("policy.host-path", path,
                   fmt::format("volume {} mounts {} of the node, tying the pod to one node's files: prefer a "
                               "PersistentVolumeClaim, an emptyDir or a ConfigMap",
                               name, quoted(host)));
  }
}

void check_service_account(const PodCheck& check) {
  const yaml::Document& doc = check.doc();
  if (boolean_at(doc, doc.find(check.pod.spec, "automountServiceAccountToken")) == false) return;
  NodeId name = doc.find(check.pod.spec, "serviceAccountName");
  if (name == k_no_node) name = doc.find(check.pod.spec, "serviceAccount");  // deprecated spelling
  std::string_view text = scalar_text(doc, name);
  if (!text.empty() && text != "default") return;
  check.report("policy.default-service-account", name == k_no_node ? check.pod.spec : name,
               "the pods run as the namespace's default service account, which every pod there shares: set "
               "serviceAccountName to an account of their own, or automountServiceAccountToken: false when "
               "they do not call the API");
}

}  // namespace

void check_pod(ObjectChecker& checker, const PodTemplate& pod) {
  const yaml::Document& doc = checker.doc();
  if (pod.spec == k_no_node || doc.node(pod.spec).kind != NodeKind::mapping) return;
  PodCheck check{checker, pod, doc.find(pod.spec, "securityContext")};
  check_host_namespaces(check);
  check_volumes(check);
  check_service_account(check);
  constexpr std::pair<std::string_view, ContainerKind> k_lists[] = {
      {"containers", ContainerKind::regular},
      {"initContainers", ContainerKind::init},
      {"ephemeralContainers", ContainerKind::ephemeral}};
  for (const auto& [field, kind] : k_lists) {
    NodeId list = doc.find(pod.spec, field);
    if (list == k_no_node || doc.node(list).kind != NodeKind::sequence) continue;
    for (NodeId container : doc.node(list).children)
      if (doc.node(container).kind == NodeKind::mapping) check_container(check, container, kind);
  }
}

}  // namespace pushgate
