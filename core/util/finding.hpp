#pragma once
// A finding: one problem in one file, reported compiler style. Validators
// produce them; the config loader reports its errors the same way.

#include <string>
#include <vector>

namespace pushgate {

// error blocks a push; warning only informs; note is a finding that an
// exemption covers (validators/policy/exemptions.hpp), shown with its reason.
enum class Severity { warning, error, note };

// Where what exempts a finding is written: in the file (a pushgate.dev/ignore
// annotation, an inline pushgate:allow-secret) or apart from it (the
// administrator's allow-list): SARIF's suppression kinds inSource and external.
enum class ExemptionKind { in_source, external };

struct Location {
  std::string path;  // as in the tree, '/'-separated
  int line = 0;      // 1-based; 0 when the whole file is meant
  int column = 0;    // 1-based; 0 when unknown
};

struct Finding {
  Location where;
  Severity severity = Severity::error;
  std::string rule;     // e.g. "yaml.syntax", "k8s.name"
  std::string message;  // what is wrong and, where useful, what to do
  std::vector<Location> related;  // other places involved (the first duplicate, ...)
  std::string exemption = {};     // why it is exempted, for a note; "" otherwise
  ExemptionKind exemption_kind = ExemptionKind::in_source;
};

// "error", "warning" or "note".
const char* to_string(Severity severity);

// `path:line:col: error: [rule] message`, leaving out a zero line or column;
// a note ends with `(exempted: REASON)`.
std::string format_finding(const Finding& finding);

// format_finding(finding) appended to `out`, without a string of its own.
void append_finding(std::string& out, const Finding& finding);

// `path:line:col`, leaving out a zero line or column.
std::string format_location(const Location& where);

// Orders by path, line, column, then rule, so output is stable across runs
// and thread counts.
bool operator<(const Finding& a, const Finding& b);

}  // namespace pushgate
