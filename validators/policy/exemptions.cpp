#include "validators/policy/exemptions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <tuple>

#include "validators/file_findings.hpp"
#include "validators/k8s/k8s_object.hpp"
#include "validators/k8s/k8s_object_checker.hpp"
#include "validators/policy/policy_catalog.hpp"

namespace pushgate {

namespace {

using yaml::k_no_node;
using yaml::NodeId;

std::string_view trim(std::string_view s) {
  constexpr std::string_view k_space = " \t\r\n";
  std::size_t first = s.find_first_not_of(k_space);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(k_space) - first + 1);
}

bool is_exemptable(std::string_view rule) { return rule != "policy.ignore" && find_policy_rule(rule); }

std::string exemptable_rules() {
  std::vector<std::string_view> ids;
  for (const PolicyRule& rule : policy_rules())
    if (is_exemptable(rule.id)) ids.push_back(rule.id);
  return fmt::format("{}", fmt::join(ids, ", "));
}

// The entries of annotation value `value`; bad ones are reported at it.
std::vector<std::pair<std::string, std::string>> parse(const yaml::Node& value, FileFindings& findings) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string_view rest = value.value;
  while (!rest.empty()) {
    std::size_t cut = rest.find_first_of(";\n");
    std::string_view entry = trim(rest.substr(0, cut));
    rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
    if (entry.empty()) continue;
    std::size_t colon = entry.find(':');
    std::string_view rule = trim(entry.substr(0, colon));
    std::string_view reason = colon == std::string_view::npos ? std::string_view() : trim(entry.substr(colon + 1));
    if (!is_exemptable(rule)) {
      findings.add("policy.ignore", policy_severity("policy.ignore"), value.mark,
                   fmt::format("{} names {}, which is no policy rule that can be exempted; these can: {}",
                               k_ignore_annotation, quoted(rule), exemptable_rules()));
    } else if (reason.empty()) {
      findings.add("policy.ignore", policy_severity("policy.ignore"), value.mark,
                   fmt::format("{} exempts {} without a reason, so it exempts nothing: write \"{}: why it is "
                               "acceptable here\"",
                               k_ignore_annotation, rule, rule));
    } else {
      out.emplace_back(rule, reason);
    }
  }
  return out;
}

bool before(const yaml::Mark& a, int line, int column) { return std::tie(a.line, a.column) <= std::tie(line, column); }

}  // namespace

std::vector<ObjectExemptions> read_exemptions(const ManifestFile& file, std::vector<Finding>& out) {
  std::vector<ObjectExemptions> exemptions;
  if (!file.yaml) return exemptions;
  FileFindings findings(file.path(), out);
  // Each object spans the file up to the next one, so a finding is matched
  // to its object by position alone.
  ObjectExemptions* open = nullptr;
  for (const yaml::Document& doc : file.yaml->documents) {
    for (NodeId object : object_nodes(doc)) {
      yaml::Mark begin = doc.node(object).mark;
      if (open) open->end = begin;
      open = nullptr;
      NodeId value = doc.find(doc.find(doc.find(object, "metadata"), "annotations"), k_ignore_annotation);
      if (value == k_no_node || doc.node(value).kind != yaml::NodeKind::scalar) continue;
      auto rules = parse(doc.node(value), findings);
      if (rules.empty()) continue;
      open = &exemptions.emplace_back(ObjectExemptions{begin, {INT_MAX, INT_MAX}, std::move(rules)});
    }
  }
  return exemptions;
}

void apply_exemptions(std::vector<Finding>& findings,
                      const std::unordered_map<std::string_view, const std::vector<ObjectExemptions>*>& by_path) {
  if (by_path.empty()) return;
  for (Finding& f : findings) {
    if (f.severity == Severity::note || !f.rule.starts_with("policy.")) continue;
    auto it = by_path.find(f.where.path);
    if (it == by_path.end()) continue;
    for (const ObjectExemptions& object : *it->second) {
      if (!before(object.begin, f.where.line, f.where.column) || before(object.end, f.where.line, f.where.column))
        continue;
      auto rule = std::find_if(object.rules.begin(), object.rules.end(), [&](const auto& r) { return r.first == f.rule; });
      if (rule == object.rules.end()) break;
      f.severity = Severity::note;
      f.exemption = rule->second;
      break;
    }
  }
}

}  // namespace pushgate
