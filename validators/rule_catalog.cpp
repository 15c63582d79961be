#include "validators/rule_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "validators/policy/policy_catalog.hpp"

namespace pushgate {

const std::vector<std::string_view>& rule_ids() {
  static const std::vector<std::string_view> ids = [] {
    std::vector<std::string_view> v{
        "file.read",       "file.symlink",       "k8s.annotations",    "k8s.apiVersion",       "k8s.duplicate",
        "k8s.kind",        "k8s.labels",         "k8s.list",             "k8s.metadata",
        "k8s.name",        "k8s.namespace",      "k8s.schema",         "k8s.unknown-kind",      "yaml.aliases",         "yaml.binary",
        "signature.bad",   "signature.expired-key", "signature.unknown-key", "signature.unsigned",
        // validators/secrets/secret_patterns.cpp
        "secrets.aws-access-key", "secrets.aws-secret-key", "secrets.file-size", "secrets.generic",
        "secrets.github-token", "secrets.gitlab-token", "secrets.google-api-key", "secrets.jwt",
        "secrets.kubernetes-secret", "secrets.private-key", "secrets.slack-token", "secrets.slack-webhook",
        "secrets.stripe-key",
        "yaml.bom",        "yaml.crlf",          "yaml.depth",           "yaml.documents",
        "yaml.duplicate-key", "yaml.empty-document", "yaml.lfs-pointer", "yaml.recursive-alias", "yaml.size",
        "yaml.syntax",     "yaml.tabs",          "yaml.utf8"};
    for (const PolicyRule& rule : policy_rules()) v.push_back(rule.id);
    std::sort(v.begin(), v.end());
    return v;
  }();
  return ids;
}

std::optional<Severity> rule_severity(const ValidateSettings& settings, std::string_view rule, Severity fallback) {
  auto it = settings.rules.find(rule);
  if (it == settings.rules.end()) return fallback;
  if (it->second == RuleSetting::off) return std::nullopt;
  return it->second == RuleSetting::warning ? Severity::warning : Severity::error;
}

std::optional<Error> check_rule_overrides(const ValidateSettings& settings) {
  const auto& ids = rule_ids();
  std::string message;
  for (const auto& [rule, setting] : settings.rules) {
    if (std::binary_search(ids.begin(), ids.end(), std::string_view(rule))) continue;
    auto at = settings.rule_locations.find(rule);
    Location where = at == settings.rule_locations.end() ? Location{} : at->second;
    Finding f{where, Severity::error, "config",
              fmt::format("validate.rules names '{}', which is no rule; known rules: {}", rule,
                          fmt::join(ids, ", ")),
              {}};
    message += (message.empty() ? "" : "\n") + format_finding(f);
  }
  if (message.empty()) return std::nullopt;
  return Error{ErrorCode::config, message};
}

}  // namespace pushgate
