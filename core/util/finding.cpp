#include "core/util/finding.hpp"

#include <fmt/format.h>

#include <tuple>

namespace pushgate {

namespace {

void append_number(std::string& out, int n) {
  fmt::format_int digits(n);
  out.append(1, ':').append(digits.data(), digits.size());
}

void append_location(std::string& out, const Location& where) {
  out += where.path;
  if (where.line == 0) return;
  append_number(out, where.line);
  if (where.column != 0) append_number(out, where.column);
}

}  // namespace

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::warning: return "warning";
    case Severity::error: return "error";
    case Severity::note: return "note";
  }
  return "error";
}

std::string format_location(const Location& where) {
  std::string out;
  append_location(out, where);
  return out;
}

std::string format_finding(const Finding& finding) {
  std::string out;
  append_finding(out, finding);
  return out;
}

void append_finding(std::string& out, const Finding& finding) {
  append_location(out, finding.where);
  // Plain appends: a large tree prints tens of thousands of these.
  out.append(": ").append(to_string(finding.severity)).append(": [").append(finding.rule).append("] ");
  out.append(finding.message);
  if (!finding.exemption.empty()) out.append(" (exempted: ").append(finding.exemption).append(1, ')');
}

bool operator<(const Finding& a, const Finding& b) {
  return std::tie(a.where.path, a.where.line, a.where.column, a.rule, a.message) <
         std::tie(b.where.path, b.where.line, b.where.column, b.rule, b.message);
}

}  // namespace pushgate
