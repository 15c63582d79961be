#include "core/util/finding.hpp"

#include <fmt/format.h>

#include <tuple>

namespace pushgate {

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::warning: return "warning";
    case Severity::error: return "error";
    case Severity::note: return "note";
  }
  return "error";
}

std::string format_location(const Location& where) {
  if (where.line == 0) return where.path;
  if (where.column == 0) return fmt::format("{}:{}", where.path, where.line);
  return fmt::format("{}:{}:{}", where.path, where.line, where.column);
}

std::string format_finding(const Finding& finding) {
  std::string line = fmt::format("{}: {}: [{}] {}", format_location(finding.where), to_string(finding.severity),
                                 finding.rule, finding.message);
  if (!finding.exemption.empty()) line += fmt::format(" (exempted: {})", finding.exemption);
  return line;
}

bool operator<(const Finding& a, const Finding& b) {
  return std::tie(a.where.path, a.where.line, a.where.column, a.rule, a.message) <
         std::tie(b.where.path, b.where.line, b.where.column, b.rule, b.message);
}

}  // namespace pushgate
