#include "validators/file_findings.hpp"

namespace pushgate {

Finding& FileFindings::add(RuleId rule, Severity severity, yaml::Mark mark,
                           std::string message) {
  if (m_shared_path.empty()) m_shared_path = shared_path(m_out, m_path);
  Finding& f = m_out.emplace_back();
  f.where = Location{m_shared_path, mark.line, mark.column};
  f.severity = severity;
  f.rule = rule;
  f.message = std::move(message);
  return f;
}

}  // namespace pushgate
