#pragma once
// `environments.<env>.allowed_pushers:`: who may push to an environment's
// branch, and deploy or roll it back by hand. The identity checked is the
// trusted one (core/jobs/pusher.hpp in the hooks, the job file's owner or
// SO_PEERCRED in pushgated), never a name a pusher chose.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/config/repo_config.hpp"
#include "core/util/error.hpp"

namespace pushgate {

// Whether `user` is a member of the OS group `group`.
using GroupMembership = std::function<bool(const std::string& user, const std::string& group)>;

// The group database's answer: `user` is listed as a member of `group`, or
// is a local account whose primary group it is. False for an unknown group.
bool system_group_member(const std::string& user, const std::string& group);

// Whether `pusher` is in `allowed`: named there, or a member of a group
// written "@group". An empty `allowed` lets everyone.
bool pusher_allowed(const std::vector<std::string>& allowed, const std::string& pusher,
                    const GroupMembership& member = system_group_member);

// nullopt when `pusher` may change environment `env` in the way `action`
// says ("push to main", "deploy", "roll back"); else a message naming the
// environment, who may, and what to do.
std::optional<std::string> pusher_refusal(const Environment& env, const std::string& pusher,
                                          const std::string& action,
                                          const GroupMembership& member = system_group_member);

}  // namespace pushgate
