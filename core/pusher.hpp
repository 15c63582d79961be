#pragma once
// Who pushed: the identity that the Git server in front of the repository
// authenticated, recorded in jobs, notes and PUSHGATE_PUSHER.

#include <cstdlib>
#include <functional>
#include <string>

namespace pushgate {

// Looks up an environment variable; returns null when it is not set.
using EnvLookup = std::function<const char*(const char*)>;

// The first non-empty of GL_USER (gitolite), GITEA_PUSHER_NAME (Gitea and
// Forgejo), GL_USERNAME (GitLab) and REMOTE_USER (git-http-backend), else
// the name of the effective OS user, else "uid <n>". Never empty.
std::string pusher_identity(const EnvLookup& lookup = std::getenv);

}  // namespace pushgate
