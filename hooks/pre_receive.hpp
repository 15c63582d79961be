#pragma once
// The pre-receive check: validate what a push brings before any ref moves.

#include <iosfwd>
#include <string>

namespace pushgate {

// Exit codes of pushgate-pre-receive; git rejects the push on any non-zero.
enum class PreReceiveResult {
  accepted = 0,
  rejected = 1,      // findings with severity error, a protected ref, a tag of no commit
  config_error = 2,  // the server's pushgate.yaml is invalid or untrusted, or its hooks folder
                     // is writable by others: fail closed
  internal_error = 3 // the check could not run (or ran out of time): fail closed
};

// What run_pre_receive does once the push is judged and the verdict written.
enum class HookEnd {
  return_result,  // saves the tree indexes of what passed, then returns
  exit_process,   // exits with the result at once; a child saves the indexes
                  // after git has gone on (hooks/detached_work.hpp)
};

struct PreReceiveOptions {
  // The one variable of the install layout that names the pusher
  // (core/jobs/pusher.hpp); empty: the system user.
  std::string identity_from;
  HookEnd end = HookEnd::return_result;
};

// Reads `<old> <new> <ref>` lines from `input`, opens the repository from
// the environment (so quarantined objects are visible), validates each
// created or updated branch and tag (annotated tags peeled to their commit)
// and writes what the pusher sees to `out`. An update of the branch of an
// environment with allowed_pushers by anyone else is rejected, and so are new
// commits of a ref that validate.signatures covers without a valid signature
// of an allowed key. Every push is rejected while the
// repository's pushgate.yaml or hooks folder is not trusted
// (core/util/trusted_file.hpp). Never throws; with HookEnd::exit_process,
// never returns either.
PreReceiveResult run_pre_receive(std::istream& input, std::ostream& out, const PreReceiveOptions& options = {});

}  // namespace pushgate
