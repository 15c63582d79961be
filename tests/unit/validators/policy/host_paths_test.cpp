#include "validators/policy/host_paths.hpp"

#include <catch2/catch.hpp>

using namespace pushgate;

TEST_CASE("is_sensitive_host_path: the node's system folders, state and runtime sockets", "[validators][policy]") {
  for (const char* path : {"/", "/etc", "/etc/", "//etc", "/var/run/../../etc", "/proc", "/proc/1/root", "/sys/fs",
                           "/root/.ssh", "/var/lib/kubelet", "/var/lib/kubelet/pods", "/var/run/docker.sock",
                           "/run/containerd/containerd.sock", "/etc/kubernetes/pki", "/dev"}) {
    INFO(path);
    CHECK(is_sensitive_host_path(path));
  }
  SECTION("near misses: ordinary folders below the system ones, names that only start alike") {
    for (const char* path : {"/etc/ssl/certs", "/var/log", "/data", "/srv/app", "/procfs", "/rooted", "/var/lib/app",
                             "relative/etc"}) {
      INFO(path);
      CHECK_FALSE(is_sensitive_host_path(path));
    }
  }
}
