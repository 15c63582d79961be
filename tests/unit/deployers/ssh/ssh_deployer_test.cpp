#include "deployers/ssh/ssh_deployer.hpp"

#include <fmt/format.h>

#include "tests/unit/deployers/deploy_fixture.hpp"
#include "tests/unit/support/loopback_sshd.hpp"

using namespace pushgate;
using namespace pushgate::ssh;
using namespace pushgate::test;
using namespace std::chrono_literals;

namespace {

// `dirs.size()` hosts, all served by `sshd`, each deploying into its own folder.
Environment fleet(const LoopbackSshd& sshd, const std::vector<fs::path>& dirs, std::size_t batch) {
  Environment env;
  env.name = "production";
  env.branch = "main";
  env.deployer.type = DeployerType::ssh;
  SshDeployerSettings& s = env.deployer.ssh;
  for (const auto& dir : dirs) s.hosts.push_back({"127.0.0.1", sshd.port(), current_user(), dir.string()});
  s.identity = sshd.client_key().string();
  s.known_hosts = sshd.known_hosts().string();
  s.parallel = 2;
  s.batch = {batch, false};
  s.connect_timeout = 5s;
  env.deployer.timeout = 30s;
  // Healthy when the release has a file named ok.
  env.health = command_health({"test", "-e", "{release}/ok"}, 10s, 1, 0ms);
  return env;
}

std::string field(const DeployOutcome& out, const std::string& key) {
  for (const auto& [k, v] : out.fields)
    if (k == key) return v;
  return "";
}

}  // namespace

TEST_CASE("SshDeployer rolls a release over a fleet and back when the canary fails") {
  const LoopbackSshd* sshd = shared_sshd();
  if (!sshd) return;
  TempDir tmp;
  std::vector<fs::path> dirs{tmp / "web1", tmp / "web2", tmp / "web3"};
  Environment env = fleet(*sshd, dirs, 1);
  SshDeployer deployer(env, tmp / "staging");
  TestRepo repo;
  std::string good = repo.commit(repo.files({{"app.yaml", "v: 1\n"}, {"ok", ""}, {"it's $(x)", "q\n"}}));
  std::string bad = repo.commit(repo.files({{"app.yaml", "v: 2\n"}}));
  std::string next = repo.commit(repo.files({{"app.yaml", "v: 3\n"}, {"ok", ""}}));

  Attempt first(repo, env, good, 1);
  DeployOutcome out = deployer.deploy(first.request);
  INFO(out.message);
  REQUIRE(out.status == DeployStatus::succeeded);
  CHECK_THAT(out.message, Catch::Contains("hosts=3 ok=3"));
  CHECK(field(out, "hosts") == "3");
  CHECK(field(out, "ok") == "3");
  CHECK(field(out, "disagree").empty());
  for (const auto& dir : dirs) {
    CHECK(fs::read_symlink(dir / "current") == fs::path("releases") / first.request.release_id);
    CHECK(slurp(dir / "current/it's $(x)") == "q\n");
  }
  CHECK(first.logged(fmt::format("[{}@127.0.0.1:{}] pushgate: switched", current_user(), sshd->port())));
  REQUIRE(deployer.live());
  CHECK(deployer.live()->commit == good);
  CHECK(fs::exists(tmp / "staging"));
  CHECK(fs::is_empty(tmp / "staging"));  // the staged release is gone again

  SECTION("a canary whose health check fails leaves every host on the previous release") {
    Attempt second(repo, env, bad, 2, good);
    DeployOutcome failed = deployer.deploy(second.request);
    INFO(failed.message);
    CHECK(failed.status == DeployStatus::rolled_back);
    CHECK_THAT(failed.message, Catch::Contains("health check failed") && Catch::Contains("hosts=3 ok=0 failed=1 skipped=2"));
    for (const auto& dir : dirs) {
      CHECK(fs::read_symlink(dir / "current") == fs::path("releases") / first.request.release_id);
      CHECK_FALSE(fs::exists(dir / "releases" / second.request.release_id));
    }
    CHECK(deployer.live()->commit == good);
  }
  SECTION("a rollback switches every host to the kept release without sending it again") {
    Attempt third(repo, env, next, 3, good);
    REQUIRE(deployer.deploy(third.request).status == DeployStatus::succeeded);
    CHECK(deployer.live()->commit == next);
    CHECK(deployer.releases().size() == 2);
    Attempt back(repo, env, good, 4, next);
    DeployOutcome rolled = deployer.rollback(back.request, "");
    INFO(rolled.message);
    CHECK(rolled.status == DeployStatus::succeeded);
    for (const auto& dir : dirs)
      CHECK(fs::read_symlink(dir / "current") == fs::path("releases") / first.request.release_id);
    CHECK_FALSE(back.logged("files sent"));
  }
  SECTION("an unreachable host fails the rollout unless max_unavailable allows it") {
    Environment wider = env;
    wider.deployer.ssh.hosts.push_back({"127.0.0.1", 1, current_user(), (tmp / "down").string()});
    wider.deployer.ssh.batch = {100, true};
    SshDeployer with_down(wider, tmp / "staging");
    Attempt third(repo, wider, next, 3, good);
    DeployOutcome refused = with_down.deploy(third.request);
    INFO(refused.message);
    CHECK(refused.status == DeployStatus::rolled_back);
    CHECK_THAT(refused.message, Catch::Contains("unreachable") && Catch::Contains("127.0.0.1:1"));
    for (const auto& dir : dirs)
      CHECK(fs::read_symlink(dir / "current") == fs::path("releases") / first.request.release_id);

    wider.deployer.ssh.max_unavailable = {1, false};
    SshDeployer tolerant(wider, tmp / "staging");
    Attempt fourth(repo, wider, next, 4, good);
    DeployOutcome partly = tolerant.deploy(fourth.request);
    INFO(partly.message);
    CHECK(partly.status == DeployStatus::succeeded);
    CHECK_THAT(partly.message, Catch::Contains("hosts=4 ok=3 unavailable=1"));
    CHECK(field(partly, "unavailable") == "1");
    CHECK(field(partly, "disagree") == fmt::format("{}@127.0.0.1:1", current_user()));
    for (const auto& dir : dirs) CHECK(slurp(dir / "current/app.yaml") == "v: 3\n");
  }
}
