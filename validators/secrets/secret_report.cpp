#include "validators/secrets/secret_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace pushgate::secrets {

void add_finding(SecretReport& report, Finding finding) {
  ++(finding.severity == Severity::error ? report.errors : report.warnings);
  report.findings.push_back(std::move(finding));
}

void merge(SecretReport& into, SecretReport&& from) {
  std::move(from.findings.begin(), from.findings.end(), std::back_inserter(into.findings));
  std::move(from.exempted.begin(), from.exempted.end(), std::back_inserter(into.exempted));
  std::move(from.skipped.begin(), from.skipped.end(), std::back_inserter(into.skipped));
  into.commits += from.commits;
  into.files += from.files;
  into.bytes += from.bytes;
  into.errors += from.errors;
  into.warnings += from.warnings;
}

void sort_by_path(SecretReport& report) {
  std::stable_sort(report.findings.begin(), report.findings.end());
  std::stable_sort(report.exempted.begin(), report.exempted.end());
  std::stable_sort(report.skipped.begin(), report.skipped.end());
}

std::string format_exempted(const Finding& finding) {
  return fmt::format("{}: note: [{}] {}: {}", format_location(finding.where), finding.rule.view(),
                     finding.message, finding.exemption.view());
}

}  // namespace pushgate::secrets
