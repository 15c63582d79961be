#pragma once
// Checks the added lines of one file for secrets: the patterns, plaintext
// Kubernetes Secrets, and the exemptions (the allow-list, an inline
// `pushgate:allow-secret`). The same for a commit's files in the hook and
// for files on disk in `pushgate validate`.

#include <string>
#include <string_view>

#include "core/config/repo_config.hpp"
#include "validators/secrets/line_ranges.hpp"
#include "validators/secrets/secret_allowlist.hpp"
#include "validators/secrets/secret_report.hpp"
#include "validators/secrets/secret_scanner.hpp"

namespace pushgate::secrets {

// Written on a line, exempts the findings of that line.
inline constexpr std::string_view k_inline_allow = "pushgate:allow-secret";

class SecretCheck {
 public:
  // `settings` gives the severities (validate.rules) and the file size
  // bound; `allowlist` may be null. Both must outlive this object.
  SecretCheck(const ValidateSettings& settings, const Allowlist* allowlist);

  // Scans `text` of `path`: only the lines in `added` when it is not null.
  // `commit` (a short id, "" for a file on disk) is named in messages.
  // Findings and exemptions go to `report`; a binary file (a NUL byte) is
  // recorded as skipped. Safe to call from several threads on different
  // reports.
  void check(std::string_view path, std::string_view text, const LineRanges* added, std::string_view commit,
             SecretReport& report) const;

  // Records that `path` (`size` bytes) is over validate.secrets.file_size and
  // was not scanned: a finding of rule secrets.file-size.
  void too_large(std::string_view path, std::uint64_t size, std::string_view commit, SecretReport& report) const;

  std::uint64_t max_file_size() const { return m_settings.secrets.file_size; }

 private:
  void report_secret(RuleId rule, Location where, std::string_view line_text, std::string_view what,
                     std::string_view secret, std::string_view commit, SecretReport& report) const;

  const ValidateSettings& m_settings;
  const Allowlist* m_allowlist;
  SecretScanner m_scanner;
};

}  // namespace pushgate::secrets
