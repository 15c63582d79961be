#include "validators/k8s/k8s_kinds.hpp"

#include <algorithm>
#include <array>

namespace pushgate {

namespace {

constexpr std::array<std::string_view, 13> k_cluster_scoped = {
    "APIService",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PriorityClass",
    "StorageClass",
    "ValidatingWebhookConfiguration",
    "CSIDriver",
};

}  // namespace

bool is_cluster_scoped(std::string_view kind) {
  return std::find(k_cluster_scoped.begin(), k_cluster_scoped.end(), kind) != k_cluster_scoped.end();
}

NameSyntax name_syntax(std::string_view kind) {
  if (kind == "Namespace") return NameSyntax::dns1123_label;
  if (kind == "Service") return NameSyntax::dns1035_label;
  // RBAC names are path segments, so `system:controller:x` is a valid name.
  if (kind == "Role" || kind == "ClusterRole" || kind == "RoleBinding" || kind == "ClusterRoleBinding")
    return NameSyntax::path_segment;
  return NameSyntax::dns1123_subdomain;
}

}  // namespace pushgate
