#pragma once
// What pushgate knows about well-known Kubernetes kinds without a schema:
// whether objects live in a namespace and which name syntax the API server
// applies. Kinds not listed here (custom resources) are taken as namespaced
// with DNS subdomain names, the API server's default.

#include <string_view>

namespace pushgate {

enum class NameSyntax { dns1123_subdomain, dns1123_label, dns1035_label, path_segment };

// True for kinds whose objects are not in a namespace (Namespace,
// ClusterRole, CustomResourceDefinition, ...).
bool is_cluster_scoped(std::string_view kind);

// The syntax metadata.name must follow for objects of `kind`.
NameSyntax name_syntax(std::string_view kind);

}  // namespace pushgate
