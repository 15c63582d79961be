#pragma once
// The built-in policy rules: id, default severity, what each finds and what
// to do about it. The checks take their severities from here, and the rule
// catalogue, SARIF output and documentation describe the rules with it.

#include <span>
#include <string_view>

#include "core/util/finding.hpp"

namespace pushgate {

struct PolicyRule {
  std::string_view id;        // "policy.latest-tag"
  Severity severity;          // before validate.rules overrides
  std::string_view finds;     // one sentence: what the rule reports
};

// Every policy rule, sorted by id.
std::span<const PolicyRule> policy_rules();

// The rule `id`, or null when no policy rule has that id.
const PolicyRule* find_policy_rule(std::string_view id);

// The default severity of policy rule `id`. Precondition: the id exists.
Severity policy_severity(std::string_view id);

}  // namespace pushgate
