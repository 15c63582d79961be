#include "core/pusher.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <vector>

namespace pushgate {

std::string pusher_identity(const EnvLookup& lookup) {
  // Ordered by how specific the source is: a forge's own user name beats the
  // web server's REMOTE_USER, which may be a shared service account.
  for (const char* name : {"GL_USER", "GITEA_PUSHER_NAME", "GL_USERNAME", "REMOTE_USER"}) {
    const char* value = lookup(name);
    if (value && *value) return value;
  }
  uid_t uid = ::geteuid();
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(size > 0 ? static_cast<std::size_t>(size) : 16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buf.data(), buf.size(), &found) == 0 && found && *found->pw_name)
    return found->pw_name;
  return fmt::format("uid {}", uid);
}

}  // namespace pushgate
