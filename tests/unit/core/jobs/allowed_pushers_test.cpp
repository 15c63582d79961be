#include <catch2/catch.hpp>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include "core/jobs/allowed_pushers.hpp"

using namespace pushgate;

namespace {

bool fake_groups(const std::string& user, const std::string& group) {
  return group == "deployers" && (user == "carol" || user == "dave");
}

}  // namespace

TEST_CASE("pusher_allowed: names and @groups; no list lets everyone") {
  std::vector<std::string> allowed{"alice", "@deployers"};
  CHECK(pusher_allowed(allowed, "alice", fake_groups));
  CHECK(pusher_allowed(allowed, "carol", fake_groups));
  CHECK_FALSE(pusher_allowed(allowed, "bob", fake_groups));
  CHECK_FALSE(pusher_allowed(allowed, "deployers", fake_groups));  // a group's name is no account
  CHECK_FALSE(pusher_allowed(allowed, "@deployers", fake_groups));
  CHECK(pusher_allowed({}, "anyone", fake_groups));
}

TEST_CASE("pusher_refusal names the environment, who may, and the setting") {
  Environment env;
  env.name = "production";
  env.allowed_pushers = {"alice", "@deployers"};
  CHECK_FALSE(pusher_refusal(env, "dave", "deploy", fake_groups));
  auto refused = pusher_refusal(env, "bob", "push to main", fake_groups);
  REQUIRE(refused);
  CHECK(*refused == "bob may not push to main: environment production allows only alice, @deployers "
                    "(environments.production.allowed_pushers in pushgate.yaml). Ask one of them, or an "
                    "administrator to add you");
}

TEST_CASE("system_group_member reads the group database: listed members and the primary group") {
  passwd* me = ::getpwuid(::geteuid());
  group* primary = me ? ::getgrgid(me->pw_gid) : nullptr;
  if (!me || !primary) {
    WARN("skipped: this account or its primary group has no name");
    return;
  }
  std::string user = me->pw_name, name = primary->gr_name;
  CHECK(system_group_member(user, name));
  CHECK_FALSE(system_group_member(user, "no-such-group-pushgate"));
  CHECK_FALSE(system_group_member("no-such-user-pushgate", name));
}
