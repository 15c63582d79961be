#include "core/jobs/allowed_pushers.hpp"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <cerrno>

namespace pushgate {

namespace {

// getgr*_r and getpw*_r want a buffer; groups with many members need more.
template <class Entry, class Lookup>
bool lookup_entry(Entry& entry, std::vector<char>& buffer, Lookup lookup) {
  buffer.resize(16 * 1024);
  for (;;) {
    Entry* found = nullptr;
    int rc = lookup(&entry, buffer.data(), buffer.size(), &found);
    if (rc == ERANGE && buffer.size() < (1u << 24)) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    return rc == 0 && found != nullptr;
  }
}

}  // namespace

bool system_group_member(const std::string& user, const std::string& group_name) {
  struct group entry {};
  std::vector<char> buffer;
  if (!lookup_entry(entry, buffer, [&](struct group* e, char* b, std::size_t n, struct group** out) {
        return ::getgrnam_r(group_name.c_str(), e, b, n, out);
      }))
    return false;
  for (char** m = entry.gr_mem; m && *m; ++m)
    if (user == *m) return true;
  gid_t gid = entry.gr_gid;
  passwd account{};
  std::vector<char> account_buffer;
  return lookup_entry(account, account_buffer,
                      [&](passwd* e, char* b, std::size_t n, passwd** out) {
                        return ::getpwnam_r(user.c_str(), e, b, n, out);
                      }) &&
         account.pw_gid == gid;
}

bool pusher_allowed(const std::vector<std::string>& allowed, const std::string& pusher,
                    const GroupMembership& member) {
  if (allowed.empty()) return true;
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& name) {
    return name.starts_with('@') ? member(pusher, name.substr(1)) : name == pusher;
  });
}

std::optional<std::string> pusher_refusal(const Environment& env, const std::string& pusher,
                                          const std::string& action, const GroupMembership& member) {
  if (pusher_allowed(env.allowed_pushers, pusher, member)) return std::nullopt;
  return fmt::format("{} may not {}: environment {} allows only {} (environments.{}.allowed_pushers in "
                     "pushgate.yaml). Ask one of them, or an administrator to add you",
                     pusher, action, env.name, fmt::join(env.allowed_pushers, ", "), env.name);
}

}  // namespace pushgate
