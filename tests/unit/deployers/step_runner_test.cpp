#include "deployers/step_runner.hpp"

#include "tests/unit/deployers/deploy_fixture.hpp"

using namespace pushgate;
using namespace pushgate::test;
using namespace std::chrono_literals;

TEST_CASE("display_command quotes what a shell would split or expand") {
  CHECK(display_command({"systemctl", "reload", "app.service"}) == "systemctl reload app.service");
  CHECK(display_command({"/bin/echo", "a b", "$(id)", "it's", ""}) == "/bin/echo 'a b' '$(id)' 'it'\\''s' ''");
  CHECK(display_command({"cp", "{release}/x", "--to=/srv/a"}) == "cp {release}/x --to=/srv/a");
}

TEST_CASE("StepRunner runs real commands with values verbatim and secrets hidden in the log") {
  TestRepo repo;
  TempDir dir;
  fs::path release = dir / "rel $(touch pwned); x";
  fs::create_directories(release);
  std::string hostile = "$(touch " + (dir / "pwned").string() + "); rm -rf x";
  Environment env = local_environment(dir / "target");
  env.variables = {{"HOSTILE", hostile}};
  env.secrets = {{"API_TOKEN", "hunter2"}};
  Attempt a(repo, env, std::string(40, 'a'), 5);
  SystemProcessRunner runner;
  StepRunner steps(runner, a.request);
  StepContext context{release, std::string(40, 'a'), ""};

  SECTION("values and paths reach the command as they are") {
    auto failed =
        steps.run("before",
                  {"/bin/sh", "-c", "printf '[%s]\\n' \"$HOSTILE\" \"$1\" \"$PUSHGATE_RELEASE_DIR\" \"$(pwd)\"",
                   "sh", "{release}"},
                  context, 10s);
    CHECK_FALSE(failed);
    CHECK(a.logged("[" + hostile + "]"));
    CHECK(a.logged("[" + release.string() + "]"));
    CHECK(std::count_if(a.log.begin(), a.log.end(),
                        [&](const std::string& l) { return l == "[" + release.string() + "]"; }) == 3);
    CHECK_FALSE(fs::exists(dir / "pwned"));
    CHECK_FALSE(fs::exists(release / "pwned"));
  }
  SECTION("a secret never reaches the log, from the command line or the output") {
    auto failed = steps.run(
        "after", {"/bin/sh", "-c", "echo token=$API_TOKEN; echo hunter2 >&2; exit 4", "hunter2"}, context, 10s);
    REQUIRE(failed);
    CHECK_THAT(*failed, Catch::Contains("exit status 4"));
    CHECK(a.logged("token=***"));
    CHECK(a.logged("***"));
    CHECK_FALSE(a.logged("hunter2"));
    // The message goes into notes: the daemon redacts it, but it names the command as logged.
    CHECK_THAT(*failed, Catch::Contains("after command '/bin/sh -c"));
  }
  SECTION("a health check is retried, interval apart") {
    fs::path count = dir / "count";
    HealthCheck health{
        {"/bin/sh", "-c", "echo x >> \"$0\"; [ $(wc -l < \"$0\") -ge 3 ]", count.string()}, 5s, 4, 50ms};
    auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(steps.check_health(health, context));
    CHECK(std::chrono::steady_clock::now() - start >= 100ms);
    CHECK(slurp(count) == "x\nx\nx\n");
    CHECK(a.logged("pushgate: health 3/4: $ /bin/sh"));
  }
}
