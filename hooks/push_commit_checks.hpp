#pragma once
// The pre-receive checks of a push's new commits, as opposed to its trees:
// the signatures validate.signatures requires, and the secret scan of every
// commit the push brings. Each prints its findings as the pusher sees them.

#include <git2.h>

#include <cstddef>
#include <iosfwd>
#include <optional>
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

}  // namespace pushgate
