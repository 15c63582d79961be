#pragma once
// [policy.*] rules on one manifest: every workload (Pod, Deployment,
// StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob,
// also as items of a List) through its pod template. The rules and their
// default severities are listed in policy_catalog.cpp; the cross-file ones
// (dangling-*) are DanglingReferences' (dangling_references.hpp).

#include <vector>

#include "core/util/finding.hpp"
#include "validators/validator.hpp"

namespace pushgate {

class PolicyRules final : public FileValidator {
 public:
  void check(const ManifestFile& file, std::vector<Finding>& out) const override;
};

}  // namespace pushgate
