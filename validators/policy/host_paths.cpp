#include "validators/policy/host_paths.hpp"

#include <array>
#include <filesystem>
#include <string>

namespace pushgate {

namespace {

// Sensitive as a whole; what lies below (/etc/ssl/certs, /var/log) is
// mounted by ordinary node agents, and is only a [policy.host-path] warning.
constexpr std::array<std::string_view, 11> k_folders = {"/",    "/etc",     "/var", "/usr",     "/home", "/run",
                                                        "/var/run", "/var/lib", "/lib", "/bin", "/sbin"};
// Sensitive with everything below.
constexpr std::array<std::string_view, 13> k_trees = {
    "/proc",           "/sys",           "/root",          "/boot",           "/dev",
    "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/lib/etcd", "/etc/kubernetes",
    "/var/lib/crio",   "/etc/shadow",    "/etc/sudoers"};
constexpr std::array<std::string_view, 4> k_sockets = {"docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock"};

}  // namespace

bool is_sensitive_host_path(std::string_view path) {
  std::string normal = std::filesystem::path(std::string(path)).lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  if (!normal.starts_with('/')) return false;  // the API server refuses a relative path
  for (std::string_view folder : k_folders)
    if (normal == folder) return true;
  for (std::string_view tree : k_trees)
    if (normal == tree || (normal.starts_with(tree) && normal[tree.size()] == '/')) return true;
  std::string_view base = std::string_view(normal).substr(normal.rfind('/') + 1);
  for (std::string_view socket : k_sockets)
    if (base == socket) return true;
  return false;
}

}  // namespace pushgate
