#pragma once
// The pre-receive checks of a push's new commits, as opposed to its trees:
// the signatures validate.signatures requires, and the secret scan of every
// commit the push brings. Each prints its findings as the pusher sees them.

#include <git2.h>

#include <cstddef>
#include <functional>
#include <future>
#include <iosfwd>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/config/repo_config.hpp"
#include "core/git/ref_update.hpp"
#include "hooks/pre_receive.hpp"
#include "validators/secrets/secret_allowlist.hpp"

namespace pushgate {

// A pushed branch or tag that is validated: the commit it names, and the
// commit it named before (none on creation).
struct PushedRef {
  const RefUpdate* update;
  git_oid commit;
  std::optional<git_oid> old_commit;
};

// Why a push is refused as a whole rather than for its findings: the exit
// code, and the reason shown after "push rejected: ".
struct PushRefusal {
  PreReceiveResult result;
  std::string why;
};

// The findings printed, by severity; each check adds its own.
struct FindingCounts {
  std::size_t errors = 0;
  std::size_t warnings = 0;
};

// validate.signatures over the new commits of every ref in `pushed` that it
// covers, printed to `out` and counted in `counts`. A refusal when the push
// must fail closed: the key files cannot be used (config_error, their
// problem printed first), the repository's owner is unknown or there are too
// many commits to check.
std::optional<PushRefusal> check_pushed_signatures(git_repository* repo, const std::string& git_dir,
                                                   const RepoConfig& config, const std::vector<PushedRef>& pushed,
                                                   std::ostream& out, FindingCounts& counts);

// Scans every commit that `tips` bring and no ref reaches yet for secrets
// (`allowlist` may be null), printed to `out` with the exemptions and a
// summary, and counted in `counts`. A refusal when the scan cannot run (more
// new commits than validate.secrets.max_commits).
std::optional<PushRefusal> check_pushed_secrets(git_repository* repo, const std::vector<git_oid>& tips,
                                                const ValidateSettings& settings,
                                                const secrets::Allowlist* allowlist, std::ostream& out,
                                                FindingCounts& counts);

// One of these checks on a thread of its own, from construction on: what
// it prints is held until finish() prints it, so that the lines of checks
// running side by side come out in a fixed order. Destruction waits for it.
class CommitCheck {
 public:
  using Run = std::function<std::optional<PushRefusal>(std::ostream& out, FindingCounts& counts)>;
  explicit CommitCheck(Run run);
  // The running check writes into this object: it stays where it is.
  CommitCheck(const CommitCheck&) = delete;
  CommitCheck& operator=(const CommitCheck&) = delete;

  // Waits for the check, prints what it printed to `out` and adds its counts
  // to `counts`; its refusal, if it made one. Rethrows what it threw. Once.
  std::optional<PushRefusal> finish(std::ostream& out, FindingCounts& counts);

 private:
  std::ostringstream m_out;
  FindingCounts m_counts;
  std::future<std::optional<PushRefusal>> m_refusal;  // last: ends first
};

}  // namespace pushgate
