#pragma once
// [policy.dangling-service], [policy.dangling-pdb], [policy.dangling-hpa],
// [policy.dangling-ingress]: a Service or PodDisruptionBudget whose selector
// matches no pod template of the tree, a HorizontalPodAutoscaler whose
// scaleTargetRef or an Ingress whose backend names nothing in the tree.
//
// Checked for the objects of the files a push changes, against the whole
// tree (the index's rest included), in the same namespace (an object without
// one is in "default", as for k8s.duplicate). A push that only removes what
// an unchanged Service selects is not blamed; `pushgate validate` checks
// every file. Nothing is reported when a file of the tree could not be read,
// since what it holds is unknown.

#include <vector>

#include "core/util/finding.hpp"
#include "validators/validator.hpp"

namespace pushgate {

class DanglingReferences final : public TreeValidator {
 public:
  void check(const ObjectIndex& index, std::vector<Finding>& out) const override;
};

}  // namespace pushgate
