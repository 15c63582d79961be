#include "deployers/command_deployer.hpp"

#include <signal.h>

#include <sstream>
#include <thread>

#include "tests/unit/deployers/deploy_fixture.hpp"

using namespace pushgate;
using namespace pushgate::test;
using namespace std::chrono_literals;

namespace {

Environment command_environment(std::vector<std::string> run) {
  Environment env;
  env.name = "staging";
  env.branch = "staging";
  env.path = "deploy";
  env.deployer.type = DeployerType::command;
  env.deployer.run = std::move(run);
  env.deployer.timeout = 10s;
  return env;
}

}  // namespace

TEST_CASE("make_deployer builds the deployer an environment configures") {
  TempDir dir;
  RecordingRunner runner;
  Environment local = local_environment(dir / "prod");
  CHECK(dynamic_cast<LocalDeployer*>(
      make_deployer(local, "/srv/git/app.git", (dir / "state").string(), runner).get()));
  Environment command = command_environment({"deploy-it", "{release}"});
  auto deployer = make_deployer(command, "/srv/git/app.git", (dir / "state").string(), runner);
  CHECK(dynamic_cast<CommandDeployer*>(deployer.get()));

  local.deployer.dir = "relative/dir";
  CHECK_THROWS_WITH(make_deployer(local, "/srv/git/app.git", "", runner),
                    Catch::Contains("a local deployer needs an absolute dir"));
}

TEST_CASE("CommandDeployer keeps releases per repository and environment in the state folder") {
  fs::path a = CommandDeployer::release_root("/srv/git/a.git", "staging", "/var/lib/pushgate");
  fs::path b = CommandDeployer::release_root("/srv/git/b.git", "staging", "/var/lib/pushgate");
  CHECK(a.parent_path().parent_path() == "/var/lib/pushgate/releases");
  CHECK(a.filename() == "staging");
  CHECK(a.parent_path().filename().string().size() == 12);
  CHECK(a != b);
  // SHA-1 of "/srv/git/a.git", so the folder is stable across daemon versions.
  CHECK(CommandDeployer::release_root("abc", "e", "/s") == "/s/releases/a9993e364706/e");
}

TEST_CASE("CommandDeployer runs its command for the release, for real") {
  TestRepo repo;
  std::string c1 = repo.commit(repo.files({{"deploy/site.yml", "v1\n"}, {"deploy/a;b$(c).yaml", "odd\n"}}));
  std::string c2 = repo.commit(repo.files({{"deploy/site.yml", "v2\n"}}));
  TempDir dir;
  fs::path target = dir / "target";
  SystemProcessRunner runner;

  SECTION("success: the command sees the release and its variables") {
    Environment env =
        command_environment({"/bin/sh", "-c", "mkdir -p \"$1\" && cp -R \"$PUSHGATE_RELEASE_DIR/.\" \"$1\" && ls",
                             "sh", target.string()});
    CommandDeployer deployer(env, "/srv/git/app.git", dir / "state", runner);
    Attempt a(repo, env, c1, 1);
    DeployOutcome out = deployer.deploy(a.request);
    CHECK(out.status == DeployStatus::succeeded);
    CHECK(slurp(target / "site.yml") == "v1\n");
    CHECK(slurp(target / "a;b$(c).yaml") == "odd\n");
    CHECK(a.logged("a;b$(c).yaml"));  // ls output, through the log
    REQUIRE(deployer.live());
    CHECK(deployer.live()->commit == c1);
    fs::path root = CommandDeployer::release_root("/srv/git/app.git", "staging", dir / "state");
    CHECK(out.target == root.string());
    CHECK(fs::read_symlink(root / "current") == fs::path("releases") / a.request.release_id);
  }
  SECTION("failure: nothing becomes live") {
    Environment env = command_environment({"/bin/sh", "-c", "echo cannot reach hosts >&2; exit 3"});
    CommandDeployer deployer(env, "/srv/git/app.git", dir / "state", runner);
    Attempt a(repo, env, c1, 1);
    DeployOutcome out = deployer.deploy(a.request);
    CHECK(out.status == DeployStatus::failed);
    CHECK_THAT(out.message, Catch::Contains("run command '/bin/sh -c"));
    CHECK_THAT(out.message, Catch::Contains("failed: exit status 3; nothing was switched; nothing is live"));
    CHECK(a.logged("cannot reach hosts"));
    CHECK_FALSE(deployer.live());
    CHECK(deployer.releases().empty());
  }
  SECTION("timeout: the command and everything it started are killed") {
    fs::path pids = dir / "pids";
    Environment env =
        command_environment({"/bin/sh", "-c", "sleep 30 & echo $! > \"$1\"; sleep 30 & echo $! >> \"$1\"; wait",
                             "sh", pids.string()});
    env.deployer.timeout = 300ms;
    CommandDeployer deployer(env, "/srv/git/app.git", dir / "state", runner);
    Attempt a(repo, env, c1, 1);
    auto start = std::chrono::steady_clock::now();
    DeployOutcome out = deployer.deploy(a.request);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    CHECK(out.status == DeployStatus::failed);
    CHECK_THAT(out.message, Catch::Contains("timed out after 300ms"));
    std::this_thread::sleep_for(100ms);
    std::istringstream in(slurp(pids));
    int count = 0;
    for (pid_t pid; in >> pid; ++count) {
      std::string status = slurp("/proc/" + std::to_string(pid) + "/status");
      CHECK((::kill(pid, 0) != 0 || status.find("State:\tZ") != std::string::npos));
    }
    CHECK(count == 2);
  }
  SECTION("health failure re-runs the command for the release that was live") {
    Environment env = command_environment(
        {"/bin/sh", "-c", "cp \"$PUSHGATE_RELEASE_DIR/site.yml\" \"$1\"", "sh", (dir / "deployed").string()});
    env.health = command_health({"/bin/sh", "-c", "grep -q v1 \"$0\"", (dir / "deployed").string()}, 5s, 2, 0ms);
    CommandDeployer deployer(env, "/srv/git/app.git", dir / "state", runner);
    Attempt first(repo, env, c1, 1);
    REQUIRE(deployer.deploy(first.request).status == DeployStatus::succeeded);
    Attempt second(repo, env, c2, 2, c1);
    DeployOutcome out = deployer.deploy(second.request);
    CHECK(out.status == DeployStatus::rolled_back);
    CHECK_THAT(out.message, Catch::Contains("health check failed 2 times in a row"));
    CHECK(slurp(dir / "deployed") == "v1\n");  // `run` ran again for the first release
    CHECK(deployer.live()->commit == c1);
  }
}

TEST_CASE("CommandDeployer's log hides secrets") {
  TestRepo repo;
  std::string c1 = repo.commit(repo.files({{"deploy/site.yml", "v1\n"}}));
  TempDir dir;
  Environment env = command_environment({"/bin/sh", "-c", "echo \"using $DEPLOY_KEY\"; echo done"});
  env.secrets = {{"DEPLOY_KEY", "k3y-s3cr3t"}};
  SystemProcessRunner runner;
  CommandDeployer deployer(env, "/srv/git/app.git", dir / "state", runner);
  Attempt a(repo, env, c1, 1);
  REQUIRE(deployer.deploy(a.request).status == DeployStatus::succeeded);
  CHECK(a.logged("using ***"));
  CHECK(a.logged("done"));
  CHECK_FALSE(a.logged("k3y-s3cr3t"));
}
