#pragma once
// The policy rules of one pod template: host namespaces, hostPath volumes,
// the service account, then every container's rules (container_rules.hpp).

#include "validators/k8s/k8s_object_checker.hpp"
#include "validators/k8s/pod_template.hpp"

namespace pushgate {

// Checks the pod spec of `pod`, which `checker`'s document holds.
void check_pod(ObjectChecker& checker, const PodTemplate& pod);

}  // namespace pushgate
