#include "validators/file_findings.hpp"

namespace pushgate {

Finding& FileFindings::add(std::string_view rule, Severity severity, yaml::Mark mark,
                           std::string message) {
  Finding& f = m_out.emplace_back();
  f.where = Location{m_path, mark.line, mark.column};
  f.severity = severity;
  f.rule = rule;
  f.message = std::move(message);
  return f;
}

}  // namespace pushgate
