#include "deployers/local_deployer.hpp"

#include "tests/unit/deployers/deploy_fixture.hpp"

using namespace pushgate;
using namespace pushgate::test;
using namespace std::chrono_literals;

namespace {

// A repository with one commit per version of deploy/app.yaml.
struct History {
  TestRepo repo;
  std::vector<std::string> commits;
  explicit History(int versions) {
    for (int i = 1; i <= versions; ++i)
      commits.push_back(repo.commit(
          repo.files({{"deploy/app.yaml", "version: " + std::to_string(i) + "\n"}, {"README.md", "docs\n"}})));
  }
};

std::string live_version(const fs::path& dir) { return slurp(dir / "current" / "app.yaml"); }

std::vector<std::string> ids(const std::vector<LiveRelease>& releases) {
  std::vector<std::string> out;
  for (const auto& r : releases) out.push_back(r.release);
  return out;
}

// Deploys commits[index] as job `job` and returns the outcome.
DeployOutcome deploy(LocalDeployer& deployer, History& h, const Environment& env, std::size_t index, int job) {
  auto live = deployer.live();
  Attempt a(h.repo, env, h.commits.at(index), job, live ? live->commit : "");
  return deployer.deploy(a.request);
}

}  // namespace

TEST_CASE("LocalDeployer deploys a release and switches DIR/current to it") {
  History h(2);
  TempDir dir;
  Environment env = local_environment(dir / "prod", "deploy");
  RecordingRunner runner;
  LocalDeployer deployer(env, dir / "prod", runner);
  CHECK_FALSE(deployer.live());

  Attempt a(h.repo, env, h.commits[0], 1);
  DeployOutcome out = deployer.deploy(a.request);
  CHECK(out.status == DeployStatus::succeeded);
  CHECK(out.release == a.request.release_id);
  CHECK(out.target == (dir / "prod").string());
  CHECK_THAT(out.message, Catch::Contains("is live in"));
  CHECK(fs::read_symlink(dir / "prod" / "current") == fs::path("releases") / a.request.release_id);
  CHECK(snapshot(dir / "prod" / "current") ==
        std::map<std::string, std::string>{{"app.yaml", "file version: 1\n"}});
  REQUIRE(deployer.live());
  CHECK(deployer.live()->release == a.request.release_id);
  CHECK(deployer.live()->commit == h.commits[0]);  // the full id
  // Nothing but releases (their commit ids and snapshots) under releases/.
  CHECK(snapshot(dir / "prod" / "releases").count("." + a.request.release_id + ".commit") == 1);
  CHECK(snapshot(dir / "prod" / "releases").count("." + a.request.release_id + ".stat") == 1);
  CHECK(snapshot(dir / "prod" / "releases").size() == 4);

  CHECK(deploy(deployer, h, env, 1, 2).status == DeployStatus::succeeded);
  CHECK(live_version(dir / "prod") == "version: 2\n");
  CHECK(deployer.releases().size() == 2);
  CHECK(deployer.releases().front().commit == h.commits[1]);  // newest first
}

TEST_CASE("LocalDeployer runs before, after and health with the release's variables, argv only") {
  History h(2);
  TempDir dir;
  Environment env = local_environment(dir / "prod", "deploy");
  env.deployer.before = {{"/usr/local/bin/check", "{release}/app.yaml", "--x={release}"}};
  env.deployer.after = {{"systemctl", "reload", "app"}};
  env.health = command_health({"curl", "-fsS", "http://127.0.0.1/health"}, 5s, 3, 0ms);
  env.variables = {{"APP_MODE", "production"}};
  env.secrets = {{"API_TOKEN", "hunter2"}};
  RecordingRunner runner;
  LocalDeployer deployer(env, dir / "prod", runner);
  REQUIRE(deploy(deployer, h, env, 0, 1).status == DeployStatus::succeeded);
  runner.calls.clear();

  Attempt a(h.repo, env, h.commits[1], 7, h.commits[0]);
  REQUIRE(deployer.deploy(a.request).status == DeployStatus::succeeded);
  REQUIRE(runner.programs() == std::vector<std::string>{"/usr/local/bin/check", "systemctl", "curl"});
  fs::path release = dir / "prod" / "releases" / a.request.release_id;
  const ProcessSpec& before = runner.calls[0];
  CHECK(before.argv == std::vector<std::string>{"/usr/local/bin/check", release.string() + "/app.yaml",
                                                "--x=" + release.string()});
  CHECK(before.cwd == release);
  CHECK(env_of(before, "PUSHGATE_REPO") == "/srv/git/app.git");
  CHECK(env_of(before, "PUSHGATE_ENV") == "production");
  CHECK(env_of(before, "PUSHGATE_COMMIT") == h.commits[1]);
  CHECK(env_of(before, "PUSHGATE_PREVIOUS_COMMIT") == h.commits[0]);
  CHECK(env_of(before, "PUSHGATE_PUSHER") == "alice");
  CHECK(env_of(before, "PUSHGATE_RELEASE_DIR") == release.string());
  CHECK(env_of(before, "PUSHGATE_JOB") == "7");
  CHECK(env_of(before, "APP_MODE") == "production");
  CHECK(env_of(before, "API_TOKEN") == "hunter2");
  CHECK(runner.calls[2].timeout == 5s);
  CHECK(a.logged("pushgate: before: $ /usr/local/bin/check " + release.string() + "/app.yaml"));
  CHECK(a.logged("pushgate: after: $ systemctl reload app"));
}

TEST_CASE("LocalDeployer: a failing before command switches nothing") {
  History h(2);
  TempDir dir;
  Environment env = local_environment(dir / "prod", "deploy");
  env.deployer.before = {{"check-config", "{release}"}};
  RecordingRunner runner;
  LocalDeployer deployer(env, dir / "prod", runner);
  REQUIRE(deploy(deployer, h, env, 0, 1).status == DeployStatus::succeeded);
  std::string first = deployer.live()->release;

  runner.respond = [](const ProcessSpec&, const LineSink& out) {
    out("config error: line 3");
    return exited(2);
  };
  Attempt a(h.repo, env, h.commits[1], 2);
  DeployOutcome out = deployer.deploy(a.request);
  CHECK(out.status == DeployStatus::failed);
  CHECK_THAT(out.message, Catch::Contains("before command 'check-config "));
  CHECK_THAT(out.message, Catch::Contains("failed: exit status 2; nothing was switched; release " + first));
  CHECK(deployer.live()->release == first);
  CHECK(live_version(dir / "prod") == "version: 1\n");
  CHECK_FALSE(fs::exists(dir / "prod" / "releases" / a.request.release_id));  // never live, not kept
  CHECK(a.logged("config error: line 3"));
}

TEST_CASE("LocalDeployer switches back when after or the health check fails") {
  History h(2);
  TempDir dir;
  Environment env = local_environment(dir / "prod", "deploy");
  env.deployer.after = {{"reload-app"}};
  env.health = command_health({"probe"}, 1s, 3, 1ms);
  RecordingRunner runner;
  LocalDeployer deployer(env, dir / "prod", runner);
  REQUIRE(deploy(deployer, h, env, 0, 1).status == DeployStatus::succeeded);
  std::string first = deployer.live()->release;
  runner.calls.clear();

  SECTION("after fails") {
    int reloads = 0;
    runner.respond = [&](const ProcessSpec& spec, const LineSink&) {
      return exited(spec.argv[0] == "reload-app" && ++reloads == 1 ? 1 : 0);
    };
    Attempt a(h.repo, env, h.commits[1], 2);
    DeployOutcome out = deployer.deploy(a.request);
    CHECK(out.status == DeployStatus::rolled_back);
    std::string live = "release " + first + " (" + h.commits[0].substr(0, 7) + ") is live";
    CHECK(out.message == "after command 'reload-app' failed: exit status 1; switched back: " + live);
    // after runs again for the release switched back to; no health check for the failed one.
    CHECK(runner.programs() == std::vector<std::string>{"reload-app", "reload-app"});
    CHECK(runner.calls[1].cwd == dir / "prod" / "releases" / first);
    CHECK(deployer.live()->release == first);
    CHECK(live_version(dir / "prod") == "version: 1\n");
    CHECK_FALSE(fs::exists(dir / "prod" / "releases" / a.request.release_id));
  }
  SECTION("the health check fails every retry") {
    runner.respond = [](const ProcessSpec& spec, const LineSink&) {
      return exited(spec.argv[0] == "probe" ? 7 : 0);
    };
    Attempt a(h.repo, env, h.commits[1], 2);
    DeployOutcome out = deployer.deploy(a.request);
    CHECK(out.status == DeployStatus::rolled_back);
    CHECK_THAT(out.message, Catch::StartsWith("health check failed 3 times in a row"));
    CHECK_THAT(out.message, Catch::Contains("exit status 7"));
    CHECK_THAT(out.message, Catch::Contains("switched back: release " + first));
    CHECK(runner.programs() == std::vector<std::string>{"reload-app", "probe", "probe", "probe", "reload-app"});
    CHECK(live_version(dir / "prod") == "version: 1\n");
  }
  SECTION("the health check passes on a retry") {
    int probes = 0;
    runner.respond = [&](const ProcessSpec& spec, const LineSink&) {
      return exited(spec.argv[0] == "probe" && ++probes < 3 ? 1 : 0);
    };
    CHECK(deploy(deployer, h, env, 1, 2).status == DeployStatus::succeeded);
    CHECK(probes == 3);
    CHECK(live_version(dir / "prod") == "version: 2\n");
  }
}

TEST_CASE("LocalDeployer: a first deploy that fails its health check leaves nothing live") {
  History h(1);
  TempDir dir;
  Environment env = local_environment(dir / "prod", "deploy");
  env.health = command_health({"probe"}, 1s, 2, 0ms);
  RecordingRunner runner;
  runner.respond = [](const ProcessSpec&, const LineSink&) { return exited(1); };
  LocalDeployer deployer(env, dir / "prod", runner);
  DeployOutcome out = deploy(deployer, h, env, 0, 1);
  CHECK(out.status == DeployStatus::rolled_back);
  CHECK_THAT(out.message, Catch::Contains("switched back: nothing is live"));
  CHECK_FALSE(fs::exists(fs::symlink_status(dir / "prod" / "current")));
  CHECK_FALSE(deployer.live());
  CHECK(deployer.releases().empty());
}

TEST_CASE("LocalDeployer keeps keep_releases, never the live one nor the one before it") {
  History h(5);
  TempDir dir;
  Environment env = local_environment(dir / "prod", "deploy");
  RecordingRunner runner;

  SECTION("the newest N") {
    env.deployer.keep_releases = 3;
    LocalDeployer deployer(env, dir / "prod", runner);
    for (int i = 0; i < 5; ++i) REQUIRE(deploy(deployer, h, env, i, i + 1).status == DeployStatus::succeeded);
    auto kept = deployer.releases();
    REQUIRE(kept.size() == 3);
    CHECK(kept[0].commit == h.commits[4]);
    CHECK(kept[2].commit == h.commits[2]);
    CHECK(snapshot(dir / "prod" / "releases").size() == 3 * 4);  // folder, app.yaml, .commit, .stat
  }
  SECTION("keep_releases: 1 still keeps the rollback target") {
    env.deployer.keep_releases = 1;
    LocalDeployer deployer(env, dir / "prod", runner);
    for (int i = 0; i < 3; ++i) REQUIRE(deploy(deployer, h, env, i, i + 1).status == DeployStatus::succeeded);
    auto kept = deployer.releases();
    REQUIRE(kept.size() == 2);
    CHECK(kept[0].commit == h.commits[2]);
    CHECK(kept[1].commit == h.commits[1]);
  }
  SECTION("job numbers order releases made within one second") {
    env.deployer.keep_releases = 2;
    LocalDeployer deployer(env, dir / "prod", runner);
    for (int i = 0; i < 4; ++i) REQUIRE(deploy(deployer, h, env, i, 8 + i).status == DeployStatus::succeeded);
    CHECK(ids(deployer.releases()) ==
          std::vector<std::string>{"20260101T000000Z-" + h.commits[3].substr(0, 12) + "-j11",
                                   "20260101T000000Z-" + h.commits[2].substr(0, 12) + "-j10"});
  }
}

TEST_CASE("LocalDeployer rolls back to an earlier release") {
  History h(3);
  TempDir dir;
  Environment env = local_environment(dir / "prod", "deploy");
  env.deployer.after = {{"reload-app"}};
  RecordingRunner runner;
  LocalDeployer deployer(env, dir / "prod", runner);
  for (int i = 0; i < 3; ++i) REQUIRE(deploy(deployer, h, env, i, i + 1).status == DeployStatus::succeeded);
  runner.calls.clear();

  SECTION("by default, to the release before the live one, instantly") {
    Attempt a(h.repo, env, "", 9, h.commits[2]);
    DeployOutcome out = deployer.rollback(a.request, "");
    CHECK(out.status == DeployStatus::succeeded);
    CHECK(live_version(dir / "prod") == "version: 2\n");
    CHECK(deployer.live()->commit == h.commits[1]);
    CHECK_THAT(out.message, Catch::Contains("is live again"));
    CHECK(runner.programs() == std::vector<std::string>{"reload-app"});
    CHECK(env_of(runner.calls[0], "PUSHGATE_COMMIT") == h.commits[1]);
    CHECK(env_of(runner.calls[0], "PUSHGATE_PREVIOUS_COMMIT") == h.commits[2]);
    CHECK(deployer.releases().size() == 3);  // nothing was written
  }
  SECTION("to a given commit") {
    Attempt a(h.repo, env, h.commits[0], 9);
    REQUIRE(deployer.rollback(a.request, h.commits[0]).status == DeployStatus::succeeded);
    CHECK(live_version(dir / "prod") == "version: 1\n");
    SECTION("and back again by its short id") {
      Attempt b(h.repo, env, "", 10);
      REQUIRE(deployer.rollback(b.request, h.commits[2].substr(0, 7)).status == DeployStatus::succeeded);
      CHECK(live_version(dir / "prod") == "version: 3\n");
    }
  }
  SECTION("to a commit whose release is no longer kept: deployed again") {
    std::string old = h.repo.commit(h.repo.files({{"deploy/app.yaml", "version: 0\n"}}));
    Attempt a(h.repo, env, old, 9);
    DeployOutcome out = deployer.rollback(a.request, old);
    CHECK(out.status == DeployStatus::succeeded);
    CHECK(out.release == a.request.release_id);
    CHECK(live_version(dir / "prod") == "version: 0\n");
  }
  SECTION("a rollback whose after command fails goes back to what was live, and fails") {
    runner.respond = [&](const ProcessSpec& spec, const LineSink&) {
      return exited(env_of(spec, "PUSHGATE_COMMIT") == h.commits[1] ? 1 : 0);
    };
    Attempt a(h.repo, env, "", 9);
    DeployOutcome out = deployer.rollback(a.request, "");
    CHECK(out.status == DeployStatus::failed);
    CHECK_THAT(out.message, Catch::Contains("switched back"));
    CHECK(live_version(dir / "prod") == "version: 3\n");
    CHECK(deployer.releases().size() == 3);  // a release that was good is kept
  }
  SECTION("nothing before the oldest release") {
    Attempt to_first(h.repo, env, h.commits[0], 9);
    REQUIRE(deployer.rollback(to_first.request, h.commits[0]).status == DeployStatus::succeeded);
    Attempt a(h.repo, env, "", 10);
    DeployOutcome out = deployer.rollback(a.request, "");
    CHECK(out.status == DeployStatus::failed);
    CHECK_THAT(out.message, Catch::Contains("no release before the live one"));
    CHECK(live_version(dir / "prod") == "version: 1\n");
  }
}

TEST_CASE("LocalDeployer refuses a tree that escapes and keeps the live release") {
  History h(1);
  TempDir dir;
  Environment env = local_environment(dir / "prod", "deploy");
  RecordingRunner runner;
  LocalDeployer deployer(env, dir / "prod", runner);
  REQUIRE(deploy(deployer, h, env, 0, 1).status == DeployStatus::succeeded);

  std::string evil = h.repo.commit(
      h.repo.tree({{"40000", "deploy", h.repo.tree({{"120000", "secrets", h.repo.blob("../../../../etc")}})}}));
  Attempt a(h.repo, env, evil, 2);
  DeployOutcome out = deployer.deploy(a.request);
  CHECK(out.status == DeployStatus::failed);
  CHECK_THAT(out.message,
             Catch::Contains("refusing to deploy 'secrets': symlink to '../../../../etc' leads outside "
                             "the release folder"));
  CHECK(live_version(dir / "prod") == "version: 1\n");
  CHECK(runner.calls.empty());
  CHECK_FALSE(fs::exists(dir / "prod" / "releases" / ("." + a.request.release_id + ".partial")));
  CHECK_FALSE(fs::exists(dir / "prod" / "releases" / a.request.release_id));
}

TEST_CASE("LocalDeployer cleans up what an interrupted deploy left") {
  History h(1);
  TempDir dir;
  Environment env = local_environment(dir / "prod", "deploy");
  spit(dir / "prod" / "releases" / ".20250101T000000Z-aaaaaaaaaaaa-j3.partial" / "half.yaml", "x");
  fs::create_symlink("releases/nowhere", dir / "prod" / ".current.tmp");
  RecordingRunner runner;
  LocalDeployer deployer(env, dir / "prod", runner);
  REQUIRE(deploy(deployer, h, env, 0, 4).status == DeployStatus::succeeded);
  CHECK_FALSE(fs::exists(dir / "prod" / "releases" / ".20250101T000000Z-aaaaaaaaaaaa-j3.partial"));
  CHECK_FALSE(fs::exists(fs::symlink_status(dir / "prod" / ".current.tmp")));
  CHECK(deployer.releases().size() == 1);
}

TEST_CASE("LocalDeployer::drift finds changed, added and removed files and a moved current", "[drift]") {
  History h(2);
  TempDir dir;
  Environment env = local_environment(dir / "prod", "deploy");
  RecordingRunner runner;
  LocalDeployer deployer(env, dir / "prod", runner);
  CHECK(deploy(deployer, h, env, 0, 1).status == DeployStatus::succeeded);
  CHECK(deploy(deployer, h, env, 1, 2).status == DeployStatus::succeeded);
  Attempt check(h.repo, env, h.commits[1], 2);
  fs::path release = dir / "prod" / "releases" / check.request.release_id;
  REQUIRE(deployer.drift(check.request));
  CHECK_FALSE(deployer.drift(check.request)->drifted());

  SECTION("the same bytes written again, or a file touched, are no drift") {
    fs::last_write_time(release / "app.yaml", fs::file_time_type::clock::now() + 5s);
    CHECK_FALSE(deployer.drift(check.request)->drifted());
  }
  SECTION("content of the same size, a new file and a removed one") {
    spit(release / "app.yaml", "version: 9\n");
    fs::last_write_time(release / "app.yaml", fs::file_time_type::clock::now() + 5s);
    spit(release / "extra.yaml", "x: 1\n");
    Drift drift = deployer.drift(check.request).value();
    CHECK(drift.changed == 1);
    CHECK(drift.added == 1);
    CHECK(drift.paths == std::vector<std::string>{"~app.yaml", "+extra.yaml"});
    fs::remove(release / "app.yaml");
    drift = deployer.drift(check.request).value();
    CHECK(drift.removed == 1);
    CHECK(drift.changed == 0);
  }
  SECTION("a mode change") {
    fs::permissions(release / "app.yaml", fs::perms::owner_exec, fs::perm_options::add);
    CHECK(deployer.drift(check.request)->changed == 1);
  }
  SECTION("current switched to another release by hand") {
    fs::remove(dir / "prod" / "current");
    fs::create_directory_symlink(fs::path("releases") / deployer.releases().back().release, dir / "prod" / "current");
    Drift drift = deployer.drift(check.request).value();
    CHECK(drift.elsewhere == 1);
    CHECK(drift.changed == 0);
    CHECK(drift.paths.at(0) == "current -> " + deployer.releases().back().release);
  }
  SECTION("without a snapshot every file is compared with the commit") {
    fs::remove(dir / "prod" / "releases" / ("." + check.request.release_id + ".stat"));
    CHECK_FALSE(deployer.drift(check.request)->drifted());
    spit(release / "app.yaml", "version: 7\n");
    CHECK(deployer.drift(check.request)->paths == std::vector<std::string>{"~app.yaml"});
  }
}

TEST_CASE("CommandDeployer has no drift to check", "[drift]") {
  History h(1);
  TempDir dir;
  Environment env = local_environment(dir / "prod", "deploy");
  env.deployer.type = DeployerType::command;
  env.deployer.run = {"/bin/true"};
  RecordingRunner runner;
  auto deployer = make_deployer(env, "/srv/git/app.git", (dir / "state").string(), runner);
  Attempt check(h.repo, env, h.commits[0], 1);
  auto drift = deployer->drift(check.request);
  REQUIRE_FALSE(drift);
  CHECK(drift.error().code == ErrorCode::config);
}
