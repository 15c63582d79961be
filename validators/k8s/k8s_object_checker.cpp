#include "validators/k8s/k8s_object_checker.hpp"

#include <fmt/format.h>

#include "validators/yaml/scalar_type.hpp"

namespace pushgate {

Finding& ObjectChecker::report(RuleId rule, Severity severity, yaml::NodeId at, std::string message) {
  if (!m_prefix.empty()) message.insert(0, m_prefix);
  return m_findings.add(rule, severity, node(at).mark, std::move(message));
}

std::optional<std::string_view> ObjectChecker::string_text(yaml::NodeId at) const {
  const yaml::Node& n = node(at);
  if (n.kind == yaml::NodeKind::scalar && scalar_type(n) == ScalarType::string) return std::string_view(n.value);
  return std::nullopt;
}

void ObjectChecker::report_not_string(RuleId rule, yaml::NodeId at, std::string_view what) {
  const yaml::Node& n = node(at);
  switch (n.kind) {
    case yaml::NodeKind::mapping:
    case yaml::NodeKind::sequence:
      report(rule, Severity::error, at,
             fmt::format("{} must be a string, not a {}", what,
                         n.kind == yaml::NodeKind::mapping ? "mapping" : "list"));
      return;
    case yaml::NodeKind::null:
      report(rule, Severity::error, at, fmt::format("{} is empty", what));
      return;
    case yaml::NodeKind::scalar:
      break;
  }
  report(rule, Severity::error, at,
         fmt::format("{} must be a string: quote it (\"{}\"); Kubernetes reads an unquoted {} as a {}",
                     what, n.value, n.value, to_string(scalar_type(n))));
}

std::string quoted(std::string_view text) {
  constexpr std::size_t k_max = 80;
  if (text.size() <= k_max) return fmt::format("'{}'", text);
  // Cut at byte boundaries that do not split a UTF-8 sequence.
  auto cut = [&](std::size_t at) {
    while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
    return at;
  };
  std::size_t head = cut(k_max / 2), tail = cut(text.size() - k_max / 2);
  return fmt::format("'{}...{}' ({} characters)", text.substr(0, head), text.substr(tail), text.size());
}

}  // namespace pushgate
