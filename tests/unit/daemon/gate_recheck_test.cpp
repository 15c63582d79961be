#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "daemon/gate_recheck.hpp"
#include "tests/unit/deployers/deploy_fixture.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using pushgate::test::spit;
using pushgate::test::TempDir;

TEST_CASE("hooks_bypassable: a git directory or config other accounts can write") {
  TempDir tmp;
  std::filesystem::path git_dir = tmp / "app.git";
  spit(git_dir / "config", "[core]\n");
  ::chmod(git_dir.c_str(), 0755);
  ::chmod((git_dir / "config").c_str(), 0644);
  CHECK_FALSE(daemon::hooks_bypassable(git_dir.string()));

  // git init --shared=group: the folder is 2775 and the config 0664.
  ::chmod(git_dir.c_str(), 02775);
  CHECK(daemon::hooks_bypassable(git_dir.string()));
  ::chmod(git_dir.c_str(), 0755);
  ::chmod((git_dir / "config").c_str(), 0664);
  CHECK(daemon::hooks_bypassable(git_dir.string()));
  ::chmod((git_dir / "config").c_str(), 0646);
  CHECK(daemon::hooks_bypassable(git_dir.string()));
}

TEST_CASE("recheck_commit: the hook's verdict on the whole tree of a commit") {
  test::TestRepo repo;
  ValidateSettings settings;
  std::string good = repo.commit(repo.files(
      {{"deploy/web.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n"}, {"README", "hi\n"}}));
  CHECK_FALSE(daemon::recheck_commit(repo.get(), good, settings));

  std::string bad = repo.commit(repo.files({{"deploy/web.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n"},
                                            {"deploy/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n"}}));
  auto refused = daemon::recheck_commit(repo.get(), bad, settings);
  REQUIRE(refused);
  CHECK(refused->find("1 error") != std::string::npos);
  CHECK(refused->find("deploy/bad.yaml:3:") != std::string::npos);
  CHECK(refused->find("did not come through the gate") != std::string::npos);

  // What the administrator turned off stays off.
  settings.rules["k8s.name"] = RuleSetting::off;
  CHECK_FALSE(daemon::recheck_commit(repo.get(), bad, settings));
}
