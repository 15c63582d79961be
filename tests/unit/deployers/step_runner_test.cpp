#include "deployers/step_runner.hpp"

#include <atomic>

#include "tests/unit/deployers/deploy_fixture.hpp"
#include "tests/unit/support/loopback_http.hpp"

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
    HealthCheck health = command_health(
        {"/bin/sh", "-c", "echo x >> \"$0\"; [ $(wc -l < \"$0\") -ge 3 ]", count.string()}, 5s, 4, 50ms);
    auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(steps.check_health(health, context));
    CHECK(std::chrono::steady_clock::now() - start >= 100ms);
    CHECK(slurp(count) == "x\nx\nx\n");
    CHECK(a.logged("pushgate: health 3/4: $ /bin/sh"));
  }
}

TEST_CASE("StepRunner for a host: {host} and PUSHGATE_HOST in commands, {host} in health URLs") {
  std::atomic<int> hits = 0;
  std::atomic<int> healthy_from = 2;
  LoopbackServer server([&](httplib::Server& s) {
    s.Get("/healthz", [&](const httplib::Request&, httplib::Response& res) {
      res.status = ++hits >= healthy_from ? 200 : 503;
    });
  });
  TestRepo repo;
  TempDir dir;
  Attempt a(repo, local_environment(dir / "target"), std::string(40, 'a'), 5);
  SystemProcessRunner runner;
  StepRunner steps(runner, a.request, "127.0.0.1");
  StepContext context{dir.path(), std::string(40, 'a'), ""};
  HealthCheck health;
  health.http = "http://{host}:" + std::to_string(server.port()) + "/healthz";
  health.timeout = 2s;
  health.retries = 3;
  health.interval = 10ms;
  std::string url = server.url("/healthz");

  SECTION("the URL is GET with the host in it, until it answers the expected status") {
    CHECK_FALSE(steps.check_health(health, context));
    CHECK(hits == 2);
    CHECK(a.logged("pushgate: health 1/3: GET " + url));
    CHECK(a.logged("pushgate: health 1/3: GET " + url + ": status 503, expected 200"));
    CHECK(a.logged("pushgate: health 2/3: GET " + url));
    CHECK_FALSE(a.logged("health 3/3"));
  }
  SECTION("a URL that never answers the expected status fails after the last try, saying why") {
    healthy_from = 100;
    auto why = steps.check_health(health, context);
    REQUIRE(why);
    CHECK(*why == "health check failed 3 times in a row (last: GET " + url + ": status 503, expected 200)");
    CHECK(hits == 3);
  }
  SECTION("commands get the host as PUSHGATE_HOST and in place of {host}") {
    CHECK_FALSE(steps.run("after", {"/bin/sh", "-c", "printf '[%s][%s]\\n' \"$PUSHGATE_HOST\" \"$1\"", "sh", "{host}"},
                          context, 10s));
    CHECK(a.logged("[127.0.0.1][127.0.0.1]"));
    StepRunner on_server(runner, a.request);
    CHECK_FALSE(on_server.run("after", {"/bin/sh", "-c", "printf '<%s><%s>\\n' \"${PUSHGATE_HOST-unset}\" \"$1\"", "sh",
                                        "{host}"},
                              context, 10s));
    CHECK(a.logged("<unset><{host}>"));
  }
}
