#include <catch2/catch.hpp>

#include <pwd.h>
#include <unistd.h>

#include <map>

#include "core/jobs/pusher.hpp"

using namespace pushgate;

namespace {

EnvLookup fake(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

}  // namespace

const std::map<std::string, std::string> k_all = {{"GL_USER", "gitolite-alice"},
                                                   {"GITEA_PUSHER_NAME", "gitea-bob"},
                                                   {"GL_USERNAME", "gitlab-carol"},
                                                   {"REMOTE_USER", "http-dave"}};

std::string os_user() {
  passwd* pw = ::getpwuid(::geteuid());
  return pw ? pw->pw_name : "uid " + std::to_string(::geteuid());
}

TEST_CASE("pusher_identity reads only the variable it is told to") {
  CHECK(pusher_identity("GL_USER", fake(k_all)) == "gitolite-alice");
  CHECK(pusher_identity("GITEA_PUSHER_NAME", fake(k_all)) == "gitea-bob");
  CHECK(pusher_identity("GL_USERNAME", fake(k_all)) == "gitlab-carol");
  CHECK(pusher_identity("REMOTE_USER", fake(k_all)) == "http-dave");
}

TEST_CASE("pusher_identity ignores the identity variables it is not told to read") {
  // A pusher over file:// sets any of them: `GL_USER=anyone git push`.
  CHECK(pusher_identity("", fake(k_all)) == os_user());
  CHECK(pusher_identity("GL_USER", fake({{"REMOTE_USER", "http-dave"}})) == os_user());
  CHECK(pusher_identity("GL_USER", fake({{"GL_USER", ""}})) == os_user());
}
