#pragma once
// Which host paths a hostPath volume must not mount: [policy.sensitive-host-path].

#include <string_view>

namespace pushgate {

// True when mounting `path` from the node gives a pod the node: the root and
// top system folders themselves, anything under /proc, /sys, /root, /boot,
// /dev, the kubelet's, the container runtimes' and etcd's state and
// /etc/kubernetes, and container runtime sockets anywhere. The path is
// normalized first, so "/var/run/../../etc" is /etc.
bool is_sensitive_host_path(std::string_view path);

}  // namespace pushgate
