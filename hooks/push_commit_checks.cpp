#include "hooks/push_commit_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <thread>

#include "core/git/new_commits.hpp"
#include "core/git/push_options.hpp"
#include "core/util/process.hpp"
#include "core/util/terminal_text.hpp"
#include "core/util/trusted_file.hpp"
#include "validators/commits/push_signatures.hpp"
#include "validators/report_output.hpp"
#include "validators/secrets/secret_output.hpp"
#include "validators/secrets/secret_scan.hpp"

namespace pushgate {

std::optional<PushRefusal> check_pushed_signatures(git_repository* repo, const std::string& git_dir,
                                                   const RepoConfig& config, const std::vector<PushedRef>& pushed,
                                                   std::ostream& out, FindingCounts& counts) {
  if (config.validate.signatures.empty()) return std::nullopt;
  auto owner = owner_of(git_dir);
  if (!owner) return PushRefusal{PreReceiveResult::internal_error, owner.error().message};
  SystemProcessRunner runner;
  PushSignatures signatures(config, *owner, runner, std::max(1u, std::thread::hardware_concurrency()));
  for (const PushedRef& p : pushed) {
    auto findings = signatures.check(repo, p.update->ref, p.old_commit, p.commit);
    if (!findings) {
      if (findings.error().code != ErrorCode::config)
        return PushRefusal{PreReceiveResult::rejected, findings.error().message};
      out << escape_lines(findings.error().message) << '\n';
      return PushRefusal{PreReceiveResult::config_error,
                         "the key files that the server's pushgate.yaml names (validate.signatures) cannot be "
                         "used, so pushes that need signatures are refused until an administrator fixes them"};
    }
    Report report;
    for (Finding& f : *findings) (f.severity == Severity::error ? report.errors : report.warnings)++;
    report.findings = std::move(*findings);
    print_findings(report, config.validate.max_findings, out);
    counts.errors += report.errors;
    counts.warnings += report.warnings;
  }
  return std::nullopt;
}

std::optional<PushRefusal> check_pushed_secrets(git_repository* repo, const std::vector<git_oid>& tips,
                                                const ValidateSettings& settings,
                                                const secrets::Allowlist* allowlist, std::ostream& out,
                                                FindingCounts& counts) {
  if (tips.empty()) return std::nullopt;
  auto commits = git::new_commits(repo, tips, settings.secrets.max_commits);
  if (!commits) {
    return PushRefusal{PreReceiveResult::rejected,
                       fmt::format("pushgate cannot scan it for secrets: {}{}", commits.error().message,
                                   commits.error().code == ErrorCode::input
                                       ? " (or ask the administrator to raise validate.secrets.max_commits)"
                                       : "")};
  }
  secrets::SecretCheck check(settings, allowlist);
  secrets::SecretReport found = secrets::scan_commits(repo, *commits, check).value();
  Report shown;
  shown.findings = std::move(found.findings);
  print_findings(shown, settings.max_findings, out);
  secrets::print_secret_notes(found, PushOptions::from_environment().has("pushgate.verbose"), out);
  out << "pushgate: " << secrets::summarize_secrets(found) << '\n';
  counts.errors += found.errors;
  counts.warnings += found.warnings;
  return std::nullopt;
}

CommitCheck::CommitCheck(Run run)
    : m_refusal(std::async(std::launch::async, [this, run = std::move(run)] { return run(m_out, m_counts); })) {}

std::optional<PushRefusal> CommitCheck::finish(std::ostream& out, FindingCounts& counts) {
  std::optional<PushRefusal> refused = m_refusal.get();
  out << m_out.str();
  counts.errors += m_counts.errors;
  counts.warnings += m_counts.warnings;
  return refused;
}

}  // namespace pushgate
