#pragma once
// Secret scans of whole commits: the new commits of a push (or a range).
// Files on disk are scanned by the engine (EngineOptions::secrets), on the
// bytes it reads anyway.

#include <git2.h>

#include <string>
#include <vector>

#include "core/util/error.hpp"
#include "validators/secrets/secret_check.hpp"
#include "validators/secrets/secret_report.hpp"

namespace pushgate::secrets {

// Scans what each of `commits` adds (commit_changes.hpp), in the order
// given, so a secret added in one commit and deleted in the next is still
// found, in the commit that added it. Errors (ErrorCode::git) name the
// commit that could not be read.
Expected<SecretReport> scan_commits(git_repository* repo, const std::vector<git_oid>& commits,
                                    const SecretCheck& check);

}  // namespace pushgate::secrets
