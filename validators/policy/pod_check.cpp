#include "validators/policy/pod_check.hpp"

#include "validators/policy/policy_catalog.hpp"

namespace pushgate {

Finding& PodCheck::report(RuleId rule, yaml::NodeId at, std::string message) const {
  return checker.report(rule, policy_severity(rule), at, std::move(message));
}

}  // namespace pushgate
