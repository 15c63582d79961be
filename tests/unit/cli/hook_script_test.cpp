#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/hook_script.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate::cli;

namespace {

HookSpec post_receive(Layout layout) {
  return {HookKind::post_receive, "/usr/local/bin/pushgate-post-receive", {}, "/etc/pushgate/pushgated.yaml",
          std::string(identity_variable(layout)), "pushgate install /srv/git/app.git"};
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("identity_variable names the one variable each layout vouches for") {
  CHECK(identity_variable(Layout::bare).empty());
  CHECK(identity_variable(Layout::gitolite) == "GL_USER");
  CHECK(identity_variable(Layout::gitea) == "GITEA_PUSHER_NAME");
  CHECK(identity_variable(Layout::gitlab) == "GL_USERNAME");
  CHECK(identity_variable(Layout::http) == "REMOTE_USER");
  CHECK(identity_variable(parse_layout("forgejo")) == "GITEA_PUSHER_NAME");
}

TEST_CASE("hook_script passes the daemon config and the layout's identity variable as arguments") {
  SECTION("gitolite") {
    std::string script = hook_script(post_receive(Layout::gitolite));
    CHECK_THAT(script, Catch::Contains("exec \"$program\" --daemon-config \"$daemon_config\" --identity-from GL_USER \"$@\"\n"));
    CHECK(script_daemon_config(script) == "/etc/pushgate/pushgated.yaml");
  }
  SECTION("http") {
    CHECK_THAT(hook_script(post_receive(Layout::http)), Catch::Contains("--identity-from REMOTE_USER \"$@\""));
  }
  SECTION("bare: no identity variable, and nothing in the environment") {
    std::string script = hook_script(post_receive(Layout::bare));
    CHECK_THAT(script, !Catch::Contains("--identity-from"));
    CHECK_THAT(script, !Catch::Contains("export"));
  }
  SECTION("pre-receive: no daemon config") {
    std::string script =
        hook_script({HookKind::pre_receive, "/usr/local/bin/pushgate-pre-receive", {}, {}, {}, "pushgate install x"});
    CHECK_THAT(script, Catch::Contains("exec \"$program\" \"$@\"\n"));
    CHECK_THAT(script, !Catch::Contains("daemon"));
    CHECK(script_program(script) == "/usr/local/bin/pushgate-pre-receive");
    CHECK_FALSE(script_daemon_config(script).has_value());
  }
  SECTION("pre-receive: the identity variable, for allowed_pushers") {
    std::string script = hook_script(
        {HookKind::pre_receive, "/usr/local/bin/pushgate-pre-receive", {}, {}, "GL_USER", "pushgate install x"});
    CHECK_THAT(script, Catch::Contains("exec \"$program\" --identity-from GL_USER \"$@\"\n"));
  }
}

TEST_CASE("script_program reads back a path with quotes and blanks") {
  HookSpec spec{HookKind::pre_receive, "/opt/it's here/pushgate-pre-receive", {}, {}, {}, "pushgate install x"};
  CHECK(script_program(hook_script(spec)) == "/opt/it's here/pushgate-pre-receive");
  CHECK_FALSE(script_program("#!/bin/sh\nexec /usr/bin/true\n").has_value());
}

TEST_CASE("a hook script whose program is missing rejects, saying what to do") {
  pushgate::test::TempDir dir;
  HookSpec spec{HookKind::pre_receive, dir / "gone/pushgate-pre-receive", {}, {}, {},
                "pushgate install /srv/git/app.git"};
  std::ofstream(dir / "hook") << hook_script(spec);
  std::string command = "sh '" + (dir / "hook").string() + "' </dev/null 2>'" + (dir / "err").string() + "'";
  int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(slurp(dir / "err") == "pushgate: error: " + (dir / "gone/pushgate-pre-receive").string() +
                                  " is missing or not executable; push rejected. Reinstall pushgate or run "
                                  "`pushgate install /srv/git/app.git` again.\n");
  SECTION("post-receive says the push landed") {
    spec.kind = HookKind::post_receive;
    spec.daemon_config = "/etc/pushgate/pushgated.yaml";
    std::ofstream(dir / "hook") << hook_script(spec);
    std::system(command.c_str());
    CHECK_THAT(slurp(dir / "err"), Catch::Contains("the push landed, but no deploy was queued"));
  }
}
