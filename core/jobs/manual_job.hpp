#pragma once
// Deploy and rollback jobs that an administrator asks for (`pushgate deploy`,
// `pushgate rollback`, or the same requests on pushgated's control socket),
// checked before they are queued, and checked again by the daemon.

#include <git2.h>

#include <string>

#include "core/util/error.hpp"
#include "core/jobs/job.hpp"

namespace pushgate {

// The commit `rev` names in `repo`, resolved so that one name cannot mean
// two things: a full object id, a full ref name (refs/heads/main,
// refs/tags/v1), or a short name or abbreviated id that names exactly one
// of a branch, a tag or an object; `~N`, `^N` and other suffixes apply to
// what the name resolves to. Errors (ErrorCode::usage): unknown, or
// ambiguous (naming every candidate and what to type instead).
Expected<std::string> resolve_commit_unambiguously(git_repository* repo, const std::string& rev);

// Whether `commit` (full hex) is refs/heads/`branch`'s tip or reachable from
// it, or from a tag: the history the gate validated for an environment of
// that branch. Errors (ErrorCode::usage) say which it is not on.
Expected<bool> check_deployable(git_repository* repo, const std::string& commit, const std::string& branch);

// A job of `kind` (deploy or rollback) for environment `env` of the
// repository at `git_dir`. `rev` is resolved by resolve_commit_unambiguously
// to a commit that check_deployable accepts for the environment's branch;
// for a rollback it may be "", meaning the previous successful release.
// `pusher` must be allowed by the environment's allowed_pushers.
// Errors: ErrorCode::usage for an unknown environment or revision or a
// pusher who is not allowed,
// ErrorCode::config for an invalid pushgate.yaml, ErrorCode::git when the
// repository cannot be read.
Expected<Job> make_manual_job(JobKind kind, const std::string& git_dir, const std::string& env,
                              const std::string& rev, const std::string& pusher);

}  // namespace pushgate
