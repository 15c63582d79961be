#pragma once
// A finding: one problem in one file, reported compiler style. Validators
// produce them; the config loader reports its errors the same way.

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/shared_text.hpp"

namespace pushgate {

// error blocks a push; warning only informs; note is a finding that an
// exemption covers (validators/policy/exemptions.hpp), shown with its reason.
enum class Severity : std::uint8_t { warning, error, note };

// Where what exempts a finding is written: in the file (a pushgate.dev/ignore
// annotation, an inline pushgate:allow-secret) or apart from it (the
// administrator's allow-list): SARIF's suppression kinds inSource and external.
enum class ExemptionKind : std::uint8_t { in_source, external };

// A rule id ("yaml.syntax"): a view of static storage, as every id is a
// literal or a constant of the rule catalogue (validators/rule_catalog.cpp),
// so a finding carries no copy of it. It cannot be made from a std::string
// temporary, which would leave it dangling.
class RuleId {
 public:
  constexpr RuleId() = default;
  constexpr RuleId(const char* id) : m_id(id) {}
  constexpr RuleId(std::string_view id) : m_id(id) {}
  RuleId(std::string&&) = delete;

  constexpr std::string_view view() const { return m_id; }
  constexpr operator std::string_view() const { return m_id; }
  constexpr bool starts_with(std::string_view prefix) const { return m_id.starts_with(prefix); }

  friend constexpr bool operator==(RuleId a, std::string_view b) { return a.m_id == b; }
  friend constexpr std::strong_ordering operator<=>(RuleId a, std::string_view b) { return a.m_id <=> b; }

 private:
  std::string_view m_id;
};

std::ostream& operator<<(std::ostream& out, RuleId rule);

struct Location {
  SharedText path;  // as in the tree, '/'-separated; the findings of a file share it
  int line = 0;     // 1-based; 0 when the whole file is meant
  int column = 0;   // 1-based; 0 when unknown
};

struct Finding {
  Location where;
  Severity severity = Severity::error;
  RuleId rule;          // e.g. "yaml.syntax", "k8s.name"
  std::string message;  // what is wrong and, where useful, what to do
  std::vector<Location> related;  // other places involved (the first duplicate, ...)
  SharedText exemption = {};      // why it is exempted, for a note; "" otherwise
  ExemptionKind exemption_kind = ExemptionKind::in_source;
};

// The path of the last finding in `out` when it is `path`, else a copy of
// `path`: the findings of one file, made one after another, share it.
SharedText shared_path(const std::vector<Finding>& out, std::string_view path);

// "error", "warning" or "note".
const char* to_string(Severity severity);

// `path:line:col: error: [rule] message`, leaving out a zero line or column;
// a note ends with `(exempted: REASON)`.
std::string format_finding(const Finding& finding);

// format_finding(finding) appended to `out`, without a string of its own.
void append_finding(std::string& out, const Finding& finding);

// append_finding with the path, message and exemption, which come from the
// push, escaped as append_escaped (core/util/terminal_text.hpp) escapes them:
// the same as escaping the whole line, whose other parts are plain ASCII.
void append_escaped_finding(std::string& out, const Finding& finding);

// `path:line:col`, leaving out a zero line or column.
std::string format_location(const Location& where);

// Orders by path, line, column, then rule, so output is stable across runs
// and thread counts.
bool operator<(const Finding& a, const Finding& b);

}  // namespace pushgate
