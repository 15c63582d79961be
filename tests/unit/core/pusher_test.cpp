#include <catch2/catch.hpp>

#include <pwd.h>
#include <unistd.h>

#include <map>

#include "core/pusher.hpp"

using namespace pushgate;

namespace {

EnvLookup fake(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

}  // namespace

TEST_CASE("pusher_identity takes the Git server's user first") {
  CHECK(pusher_identity(fake({{"GL_USER", "gitolite-alice"},
                              {"GITEA_PUSHER_NAME", "gitea-bob"},
                              {"GL_USERNAME", "gitlab-carol"},
                              {"REMOTE_USER", "http-dave"}})) == "gitolite-alice");
  CHECK(pusher_identity(fake({{"GITEA_PUSHER_NAME", "gitea-bob"},
                              {"GL_USERNAME", "gitlab-carol"},
                              {"REMOTE_USER", "http-dave"}})) == "gitea-bob");
  CHECK(pusher_identity(fake({{"GL_USERNAME", "gitlab-carol"}, {"REMOTE_USER", "http-dave"}})) ==
        "gitlab-carol");
  CHECK(pusher_identity(fake({{"REMOTE_USER", "http-dave"}})) == "http-dave");
  CHECK(pusher_identity(fake({{"GL_USER", ""}, {"REMOTE_USER", "http-dave"}})) == "http-dave");
}

TEST_CASE("pusher_identity falls back to the OS user") {
  std::string name = pusher_identity(fake({}));
  CHECK_FALSE(name.empty());
  if (passwd* pw = ::getpwuid(::geteuid())) CHECK(name == pw->pw_name);
}
