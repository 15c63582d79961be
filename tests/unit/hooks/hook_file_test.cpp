#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "hooks/hook_file.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
namespace fs = std::filesystem;

TEST_CASE("read_hook_file reads the settings of a trusted hook file") {
  test::TempDir dir;
  test::spit(dir / "repo.git/hooks/pre-receive",
             "#!/usr/bin/pushgate-pre-receive --hook-file\n# pushgate-managed\nprogram='/usr/bin/pushgate-pre-receive'\n"
             "identity_from='GL_USER'\nexec x\n");
  fs::path hook = dir / "repo.git/hooks/pre-receive";
  fs::permissions(hook, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  auto settings = read_hook_file(hook, dir / "repo.git");
  REQUIRE(settings);
  CHECK(settings->program == "/usr/bin/pushgate-pre-receive");
  CHECK(settings->identity_from == "GL_USER");

  SECTION("refused when others can write it") {
    fs::permissions(hook, fs::perms::others_write, fs::perm_options::add);
    auto refused = read_hook_file(hook, dir / "repo.git");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::config);
    CHECK_THAT(refused.error().message, Catch::Contains(hook.string()) && Catch::Contains("chmod go-w"));
  }
  SECTION("refused when a setting cannot be read, naming the file") {
    test::spit(hook, "#!/x --hook-file\nprogram='/x'\nnew_setting='1'\n");
    auto refused = read_hook_file(hook, dir / "repo.git");
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().message, Catch::StartsWith(hook.string() + ": unknown hook setting 'new_setting'"));
  }
  SECTION("a missing file is an error, not empty settings") {
    auto refused = read_hook_file(dir / "repo.git/hooks/none", dir / "repo.git");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::io);
  }
}
