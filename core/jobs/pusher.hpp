#pragma once
// Who pushed, as the hook claims it: the identity that the Git server in
// front of the repository authenticated. The daemon believes the claim only
// from a job file the repository's owner wrote (daemon/job_admission.hpp).

#include <cstdlib>
#include <functional>
#include <string>

namespace pushgate {

// Looks up an environment variable; returns null when it is not set.
using EnvLookup = std::function<const char*(const char*)>;

// The value of `identity_var` (the one variable the install layout makes
// trustworthy: GL_USER for gitolite, GITEA_PUSHER_NAME for Gitea and
// Forgejo, GL_USERNAME for GitLab, REMOTE_USER for smart HTTP) when it is
// named and set, else the name of the effective OS user, else "uid <n>".
// No other variable is read. Never empty.
std::string pusher_identity(const std::string& identity_var, const EnvLookup& lookup = std::getenv);

}  // namespace pushgate
