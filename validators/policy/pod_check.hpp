#pragma once
// What the policy checks of one pod template share: the object checker
// (document, findings, the prefix that places a List item), the template
// and the pod-level securityContext. Internal to validators/policy.

#include <string_view>

#include "validators/k8s/k8s_object_checker.hpp"
#include "validators/k8s/pod_template.hpp"

namespace pushgate {

struct PodCheck {
  ObjectChecker& checker;
  PodTemplate pod;
  yaml::NodeId security = yaml::k_no_node;  // spec.securityContext of the pod
  // A pod-level runAsUser: 0 or runAsNonRoot: false is reported once, not
  // for every container that inherits it.
  mutable bool pod_root_reported = false;

  const yaml::Document& doc() const { return checker.doc(); }
  // Reports policy rule `rule` at `at`, with the rule's default severity.
  Finding& report(RuleId rule, yaml::NodeId at, std::string message) const;
};

}  // namespace pushgate
