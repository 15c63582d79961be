#pragma once
// What a secret scan found, and what it accepted or could not read, for the
// hook's remote: lines and `pushgate validate`.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/util/finding.hpp"

namespace pushgate::secrets {

struct SecretReport {
  std::vector<Finding> findings;   // after validate.rules overrides, in scan order
  // Accepted by the allow-list or an inline pushgate:allow-secret: notes
  // whose exemption says which (Finding::exemption, exemption_kind).
  std::vector<Finding> exempted;
  std::vector<std::string> skipped;  // "path (commit): why", files that were not scanned (binary)
  std::size_t commits = 0;         // commits scanned
  std::size_t files = 0;           // files (per commit) scanned
  std::uint64_t bytes = 0;         // bytes of the lines scanned
  std::size_t errors = 0;
  std::size_t warnings = 0;
};

// Adds `finding` to the findings and counts it.
void add_finding(SecretReport& report, Finding finding);

// Adds everything of `from` to `into`: lists appended, counts summed.
void merge(SecretReport& into, SecretReport&& from);

// Orders findings, exempted findings and skipped files by path (then line
// and column), so a report gathered on several threads reads the same.
void sort_by_path(SecretReport& report);

// `path:line:col: note: [rule] message: exemption`: an exempted finding as
// the pusher sees it.
std::string format_exempted(const Finding& finding);

}  // namespace pushgate::secrets
