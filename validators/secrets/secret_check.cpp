#include "validators/secrets/secret_check.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "validators/rule_catalog.hpp"
#include "validators/secrets/kube_secret_check.hpp"
#include "validators/secrets/secret_fingerprint.hpp"

namespace pushgate::secrets {

namespace {

// Where each line of a text starts, to turn offsets into lines and back.
// Found on first use: most files hold no secret and never need it.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : m_text(text) {}
  // 1-based line of byte `offset`.
  int line_of(std::size_t offset) const {
    return static_cast<int>(std::upper_bound(starts().begin(), starts().end(), offset) - starts().begin());
  }
  std::size_t start(int line) const { return line <= lines() ? starts()[line - 1] : m_text.size(); }
  // Past the end of `line`, its newline included.
  std::size_t end(int line) const { return line < lines() ? starts()[line] : m_text.size(); }
  std::string_view text(int line) const { return m_text.substr(start(line), end(line) - start(line)); }
  int lines() const { return static_cast<int>(starts().size()); }

 private:
  const std::vector<std::size_t>& starts() const {
    if (m_starts.empty()) {
      m_starts.push_back(0);
      for (std::size_t at = m_text.find('\n'); at != std::string_view::npos; at = m_text.find('\n', at + 1))
        m_starts.push_back(at + 1);
    }
    return m_starts;
  }

  std::string_view m_text;
  mutable std::vector<std::size_t> m_starts;
};

std::string in_commit(std::string_view commit) {
  return commit.empty() ? std::string() : fmt::format(" in commit {}", commit);
}

}  // namespace

SecretCheck::SecretCheck(const ValidateSettings& settings, const Allowlist* allowlist)
    : m_settings(settings), m_allowlist(allowlist) {}

void SecretCheck::check(std::string_view path, std::string_view text, const LineRanges* added, std::string_view commit,
                        SecretReport& report) const {
  if (text.find('\0') != std::string_view::npos) {
    report.skipped.push_back(fmt::format("{}{}: binary (holds a NUL byte), not scanned", path, in_commit(commit)));
    return;
  }
  ++report.files;
  LineIndex lines(text);
  std::vector<SecretMatch> matches;
  if (added) {
    for (auto [first, last] : *added) {
      std::size_t begin = lines.start(first), end = lines.end(last);
      m_scanner.scan(text, begin, end, matches);
      report.bytes += end - begin;
    }
  } else {
    m_scanner.scan(text, 0, text.size(), matches);
    report.bytes += text.size();
  }
  // A value of a plaintext Secret is reported as that, not again as a
  // generic assignment; a sealed value is ciphertext.
  KubeSecrets kube;
  if (is_manifest_path(path)) kube = kube_secrets(text, [&](int line) { return !added || contains(*added, line); });
  auto in_secret = [&](int line) {
    return std::any_of(kube.plaintext.begin(), kube.plaintext.end(),
                       [&](const PlaintextSecret& s) { return s.line == line; }) ||
           std::find(kube.sealed_lines.begin(), kube.sealed_lines.end(), line) != kube.sealed_lines.end();
  };
  for (const SecretMatch& m : matches) {
    int line = lines.line_of(m.offset);
    if (m.pattern->check == ValueCheck::generic_value && in_secret(line)) continue;
    Location where{SharedText(path), line, static_cast<int>(m.offset - lines.start(line)) + 1};
    report_secret(m.pattern->rule, std::move(where), lines.text(line),
                  fmt::format("{} {}", m.pattern->what, masked(m)), m.secret, commit, report);
  }
  for (const PlaintextSecret& s : kube.plaintext) {
    report_secret(k_kubernetes_secret_rule, Location{SharedText(path), s.line, s.column}, lines.text(s.line),
                  fmt::format("Kubernetes Secret '{}' with '{}' in plaintext (****; encrypt it with SOPS or use a "
                              "SealedSecret)",
                              s.object, s.key),
                  s.value, commit, report);
  }
}

void SecretCheck::too_large(std::string_view path, std::uint64_t size, std::string_view commit,
                            SecretReport& report) const {
  auto severity = rule_severity(m_settings, k_file_size_rule, Severity::warning);
  if (!severity) return;
  add_finding(report, {Location{SharedText(path), 0, 0}, *severity, k_file_size_rule,
                       fmt::format("not scanned for secrets{}: {} bytes, more than validate.secrets.file_size ({})",
                                   in_commit(commit), size, m_settings.secrets.file_size),
                       {}});
}

void SecretCheck::report_secret(RuleId rule, Location where, std::string_view line_text,
                                std::string_view what, std::string_view secret, std::string_view commit,
                                SecretReport& report) const {
  auto severity = rule_severity(m_settings, rule, Severity::error);
  if (!severity) return;
  std::string print = fingerprint(rule, secret);
  Finding f{std::move(where), *severity, rule, {}, {}};
  // An exempted finding is a note that carries what accepted it.
  auto exempt = [&](std::string reason, ExemptionKind kind) {
    f.severity = Severity::note;
    f.message = fmt::format("{}{}", what, in_commit(commit));
    f.exemption = std::move(reason);
    f.exemption_kind = kind;
    report.exempted.push_back(std::move(f));
  };
  if (line_text.find(k_inline_allow) != std::string_view::npos) {
    exempt(fmt::format("accepted by {} on the line", k_inline_allow), ExemptionKind::in_source);
  } else if (m_allowlist && m_allowlist->allows(print)) {
    exempt(fmt::format("accepted by the allow-list {} (fingerprint {})", m_allowlist->file(), print),
           ExemptionKind::external);
  } else {
    f.message = fmt::format("{}{}: {} revoke it; an administrator can accept it with fingerprint {}", what,
                            in_commit(commit),
                            commit.empty() ? "remove it and" : "rewrite the push's commits without it and", print);
    add_finding(report, std::move(f));
  }
}

}  // namespace pushgate::secrets
