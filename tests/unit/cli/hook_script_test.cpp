#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "cli/hook_script.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate::cli;
using pushgate::test::slurp;
using pushgate::test::spit;

namespace {

HookSpec post_receive(Layout layout) {
  return {HookKind::post_receive, "/usr/local/bin/pushgate-post-receive", {}, "/etc/pushgate/pushgated.yaml",
          std::string(identity_variable(layout)), "pushgate install /srv/git/app.git"};
}

HookSpec pre_receive(std::filesystem::path program) {
  return {HookKind::pre_receive, std::move(program), {}, {}, {}, "pushgate install /srv/git/app.git"};
}

// The first line of `text`.
std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

TEST_CASE("identity_variable names the one variable each layout vouches for") {
  CHECK(identity_variable(Layout::bare).empty());
  CHECK(identity_variable(Layout::gitolite) == "GL_USER");
  CHECK(identity_variable(Layout::gitea) == "GITEA_PUSHER_NAME");
  CHECK(identity_variable(Layout::gitlab) == "GL_USERNAME");
  CHECK(identity_variable(Layout::http) == "REMOTE_USER");
  CHECK(identity_variable(parse_layout("forgejo")) == "GITEA_PUSHER_NAME");
}

TEST_CASE("hook_script: the #! line runs the program, which reads its settings from the file") {
  SECTION("gitolite post-receive: daemon config and identity variable as settings") {
    std::string script = hook_script(post_receive(Layout::gitolite));
    CHECK(first_line(script) == "#!/usr/local/bin/pushgate-post-receive --hook-file");
    CHECK_THAT(script, Catch::Contains("\ndaemon_config='/etc/pushgate/pushgated.yaml'\nidentity_from='GL_USER'\n"));
    CHECK(script_daemon_config(script) == "/etc/pushgate/pushgated.yaml");
    CHECK(runs_without_shell(script));
  }
  SECTION("bare: no identity variable, and nothing in the environment") {
    std::string script = hook_script(post_receive(Layout::bare));
    CHECK_THAT(script, !Catch::Contains("identity_from"));
    CHECK_THAT(script, !Catch::Contains("export"));
  }
  SECTION("pre-receive: no daemon config") {
    std::string script = hook_script(pre_receive("/usr/local/bin/pushgate-pre-receive"));
    CHECK(first_line(script) == "#!/usr/local/bin/pushgate-pre-receive --hook-file");
    CHECK_THAT(script, !Catch::Contains("daemon"));
    CHECK(script_program(script) == "/usr/local/bin/pushgate-pre-receive");
    CHECK_FALSE(script_daemon_config(script).has_value());
  }
  SECTION("the sh lines hand the program this file, for a kernel that refuses the #! line") {
    CHECK_THAT(hook_script(pre_receive("/usr/local/bin/pushgate-pre-receive")),
               Catch::EndsWith("exec \"$program\" --hook-file \"$0\" \"$@\"\n"));
  }
}

TEST_CASE("hook_script falls back to a sh script when the program cannot be a #! interpreter") {
  SECTION("a path with a blank: the kernel would split it") {
    std::string script = hook_script(pre_receive("/opt/it's here/pushgate-pre-receive"));
    CHECK(first_line(script) == "#!/bin/sh");
    CHECK(script_program(script) == "/opt/it's here/pushgate-pre-receive");
    CHECK_FALSE(runs_without_shell(script));
  }
  SECTION("a #! line longer than old kernels read") {
    std::string dir = "/" + std::string(k_shebang_limit - shebang_line("//pushgate-pre-receive").size(), 'd');
    std::filesystem::path fits = dir + "/pushgate-pre-receive";  // the line is 127 bytes
    REQUIRE(shebang_line(fits).size() == k_shebang_limit);
    CHECK(first_line(hook_script(pre_receive(fits))) == shebang_line(fits));
    std::filesystem::path too_long = dir + "d/pushgate-pre-receive";
    CHECK_FALSE(fits_shebang(too_long));
    CHECK(first_line(hook_script(pre_receive(too_long))) == "#!/bin/sh");
  }
  SECTION("a chained hook: both read the same standard input through the shell") {
    HookSpec spec = pre_receive("/usr/local/bin/pushgate-pre-receive");
    spec.chained = "/srv/git/app.git/hooks/pre-receive.pushgate-chained";
    std::string script = hook_script(spec);
    CHECK(first_line(script) == "#!/bin/sh");
    CHECK_THAT(script, Catch::EndsWith("| \"$program\" --hook-file \"$0\" \"$@\"\n"));
  }
  CHECK_FALSE(fits_shebang("pushgate-pre-receive"));
}

TEST_CASE("script_program reads back a path with quotes and blanks") {
  CHECK(script_program(hook_script(pre_receive("/opt/it's here/pushgate-pre-receive"))) ==
        "/opt/it's here/pushgate-pre-receive");
  CHECK_FALSE(script_program("#!/bin/sh\nexec /usr/bin/true\n").has_value());
}

TEST_CASE("script_program reads the sh wrapper an older pushgate wrote") {
  std::string old =
      "#!/bin/sh\n# pushgate-managed: written by `pushgate install`; run it again to update.\n"
      "# git skips a hook it cannot run and accepts the push: this script checks the\n"
      "program='/usr/local/bin/pushgate-post-receive'\ndaemon_config='/etc/x.yaml'\n"
      "if [ ! -x \"$program\" ]; then\n  exit 1\nfi\n"
      "exec \"$program\" --daemon-config \"$daemon_config\" \"$@\"\n";
  CHECK(script_program(old) == "/usr/local/bin/pushgate-post-receive");
  CHECK(script_daemon_config(old) == "/etc/x.yaml");
  CHECK_FALSE(runs_without_shell(old));
}

TEST_CASE("a hook script whose program is missing rejects, saying what to do") {
  pushgate::test::TempDir dir;
  // Run with sh, as git does when the kernel refuses the #! line.
  HookSpec spec = pre_receive(dir / "gone/pushgate-pre-receive");
  spit(dir / "hook", hook_script(spec));
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
    spit(dir / "hook", hook_script(spec));
    std::system(command.c_str());
    CHECK_THAT(slurp(dir / "err"), Catch::Contains("the push landed, but no deploy was queued"));
  }
}

TEST_CASE("a hook file run directly hands its program the file's path") {
  pushgate::test::TempDir dir;
  // A stand-in program that prints its arguments.
  spit(dir / "bin/prog", "#!/bin/sh\nprintf '%s|' \"$@\"\n");
  std::filesystem::permissions(dir / "bin/prog", std::filesystem::perms::owner_all);
  HookSpec spec = pre_receive(dir / "bin/prog");
  REQUIRE(fits_shebang(spec.program));
  spit(dir / "hook", hook_script(spec));
  std::filesystem::permissions(dir / "hook", std::filesystem::perms::owner_all);
  std::string out = (dir / "out").string();
  SECTION("through the #! line") {
    std::system(("'" + (dir / "hook").string() + "' a b >'" + out + "'").c_str());
    CHECK(slurp(out) == "--hook-file|" + (dir / "hook").string() + "|a|b|");
  }
  SECTION("through sh") {
    std::system(("sh '" + (dir / "hook").string() + "' a b >'" + out + "'").c_str());
    CHECK(slurp(out) == "--hook-file|" + (dir / "hook").string() + "|a|b|");
  }
}
