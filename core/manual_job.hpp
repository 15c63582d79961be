#pragma once
// Deploy and rollback jobs that an administrator asks for (`pushgate deploy`,
// `pushgate rollback`, or the same requests on pushgated's control socket),
// checked before they are queued.

#include <string>

#include "core/error.hpp"
#include "core/job.hpp"

namespace pushgate {

// A job of `kind` (deploy or rollback) for environment `env` of the
// repository at `git_dir`. `rev` (anything git rev-parse accepts) is resolved
// to a commit that a branch or tag reaches; for a rollback it may be "",
// meaning the previous successful release. Errors: ErrorCode::usage for an
// unknown environment or revision, ErrorCode::config for an invalid
// pushgate.yaml, ErrorCode::git when the repository cannot be read.
Expected<Job> make_manual_job(JobKind kind, const std::string& git_dir, const std::string& env,
                              const std::string& rev, const std::string& pusher);

}  // namespace pushgate
