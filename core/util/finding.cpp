#include "core/util/finding.hpp"

#include <fmt/format.h>

#include <ostream>
#include <tuple>

#include "core/util/terminal_text.hpp"

namespace pushgate {

namespace {

void append_number(std::string& out, int n) {
  fmt::format_int digits(n);
  out.append(1, ':').append(digits.data(), digits.size());
}

// `text(out, piece)` appends the pieces that hold text of the push (the
// path, the message, the exemption's reason); the rest is plain ASCII.
template <typename Text>
void append_location(std::string& out, const Location& where, Text text) {
  text(out, where.path.view());
  if (where.line == 0) return;
  append_number(out, where.line);
  if (where.column != 0) append_number(out, where.column);
}

template <typename Text>
void append_finding(std::string& out, const Finding& finding, Text text) {
  append_location(out, finding.where, text);
  // Plain appends: a large tree prints tens of thousands of these.
  out.append(": ").append(to_string(finding.severity)).append(": [").append(finding.rule.view()).append("] ");
  text(out, finding.message);
  if (finding.exemption.empty()) return;
  out.append(" (exempted: ");
  text(out, finding.exemption.view());
  out.append(1, ')');
}

constexpr auto k_plain = [](std::string& out, std::string_view text) { out.append(text); };
constexpr auto k_escaped = [](std::string& out, std::string_view text) { append_escaped(out, text); };

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
  append_location(out, where, k_plain);
  return out;
}

std::string format_finding(const Finding& finding) {
  std::string out;
  append_finding(out, finding);
  return out;
}

void append_finding(std::string& out, const Finding& finding) { append_finding(out, finding, k_plain); }

void append_escaped_finding(std::string& out, const Finding& finding) {
  append_finding(out, finding, k_escaped);
}

SharedText shared_path(const std::vector<Finding>& out, std::string_view path) {
  return !out.empty() && out.back().where.path == path ? out.back().where.path : SharedText(path);
}

std::ostream& operator<<(std::ostream& out, RuleId rule) { return out << rule.view(); }

bool operator<(const Finding& a, const Finding& b) {
  // The findings of one file share their path: most comparisons, sorting a
  // file's findings or merging the files', need not read it.
  if (!a.where.path.same(b.where.path))
    if (auto order = a.where.path.view() <=> b.where.path.view(); order != 0) return order < 0;
  return std::tuple(a.where.line, a.where.column, a.rule.view(), std::string_view(a.message)) <
         std::tuple(b.where.line, b.where.column, b.rule.view(), std::string_view(b.message));
}

}  // namespace pushgate
