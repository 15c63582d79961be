#pragma once
// The policy rules of one container: image pin, resources, privileged,
// privilege escalation, capabilities, writable root filesystem, running as
// root, probes and duplicate environment variables.

#include "validators/policy/pod_check.hpp"

namespace pushgate {

enum class ContainerKind { regular, init, ephemeral };

// Checks container `container` (a mapping) of the pod of `check`. Init and
// ephemeral containers are not held to probes, which they cannot have;
// ephemeral ones not to resources either.
void check_container(const PodCheck& check, yaml::NodeId container, ContainerKind kind);

}  // namespace pushgate
