#pragma once
// validate.signatures applied to commits: each one must carry a signature
// that a key of the matching entry made. Used by the pre-receive hook for
// the new commits of each pushed ref, and by `pushgate validate --rev/--range`.

#include <git2.h>

#include <string>
#include <vector>

#include "core/config/repo_config.hpp"
#include "core/util/finding.hpp"
#include "validators/commits/signature_verifier.hpp"

namespace pushgate {

// Rule ids of the findings, all listed in validators/rule_catalog.cpp.
inline constexpr std::string_view k_rule_unsigned = "signature.unsigned";
inline constexpr std::string_view k_rule_bad_signature = "signature.bad";
inline constexpr std::string_view k_rule_unknown_key = "signature.unknown-key";
inline constexpr std::string_view k_rule_expired_key = "signature.expired-key";

struct SignatureCheck {
  std::string where;   // the path of every finding: the ref pushed, or the range checked
  std::string branch;  // what the commits are on, for messages ("main", "refs/tags/v1")
  unsigned threads = 1;  // verifications run at once
};

// One finding per commit of `commits` whose signature `verifier` does not
// accept, naming the commit (short id and subject), what is wrong and what
// to do; severities after `settings.rules` (off drops the finding). In the
// order of `commits`. Throws Failure when a commit cannot be read or a
// verifying tool cannot run: the caller must fail closed.
std::vector<Finding> check_signatures(git_repository* repo, const std::vector<git_oid>& commits,
                                      const SignatureVerifier& verifier, const SignatureCheck& check,
                                      const ValidateSettings& settings);

}  // namespace pushgate
