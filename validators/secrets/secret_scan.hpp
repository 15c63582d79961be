#pragma once
// Secret scans of whole units: the new commits of a push (or a range) and
// files on disk.

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

// Scans every line of the files at `paths`; folders are walked (without
// following links, and without .git folders). An Error (ErrorCode::io) names
// a path that cannot be read. Files are scanned on up to `threads` threads;
// the report lists them in the order of the walk all the same.
Expected<SecretReport> scan_files(const std::vector<std::string>& paths, const SecretCheck& check,
                                  std::size_t threads = 1);

}  // namespace pushgate::secrets
