#include "validators/secrets/secret_report.hpp"

#include <fmt/format.h>

namespace pushgate::secrets {

void add_finding(SecretReport& report, Finding finding) {
  ++(finding.severity == Severity::error ? report.errors : report.warnings);
  report.findings.push_back(std::move(finding));
}

std::string format_exempted(const Finding& finding) {
  return fmt::format("{}: note: [{}] {}", format_location(finding.where), finding.rule, finding.message);
}

}  // namespace pushgate::secrets
