#pragma once
// The rule ids the built-in validators report: what `validate.rules` in
// pushgate.yaml may name.

#include <optional>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"
#include "core/config/repo_config.hpp"
#include "core/util/finding.hpp"

namespace pushgate {

// Every rule id, sorted.
const std::vector<std::string_view>& rule_ids();

struct RuleInfo {
  std::string_view id;
  Severity severity;       // before validate.rules overrides
  std::string_view finds;  // one line: what it reports
};

// What rule `id` finds and its default severity (rule_descriptions.cpp), for
// SARIF's list of rules; a rule not described there is an error described
// by its id.
RuleInfo rule_info(std::string_view id);

// An Error (ErrorCode::config) naming each `validate.rules` key that is no
// rule id, at its line and column, since a misspelt override would silently
// do nothing; nullopt when all are known.
std::optional<Error> check_rule_overrides(const ValidateSettings& settings);

// The severity findings of `rule` get: its validate.rules override, else
// `fallback`; nullopt when the administrator turned the rule off.
std::optional<Severity> rule_severity(const ValidateSettings& settings, std::string_view rule, Severity fallback);

}  // namespace pushgate
