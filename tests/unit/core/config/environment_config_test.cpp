#include <catch2/catch.hpp>

#include "core/config/repo_config.hpp"
#include "tests/unit/support/repo_config_errors.hpp"

using namespace pushgate;
using pushgate::test::rejected;
using namespace std::chrono_literals;

TEST_CASE("environments: reads every setting of a local deployer") {
  auto c = parse_repo_config(R"yaml(environments:
  production:
    branch: main
    path: ./deploy/prod/
    deployer:
      type: local
      dir: /srv/app/prod/
      keep_releases: 3
      before: [["/usr/local/bin/check-config", "{release}"]]
      after: [["systemctl", "reload", "app"], ["/bin/true"]]
      timeout: 2m
    health: {command: ["curl", "-fsS", "http://127.0.0.1:8080/health"], timeout: 5s, retries: 4, interval: 250ms}
    retry: {attempts: 2, delay: 10s, on_interrupt: rollback}
    env: {APP_MODE: production, PORT: 8080}
    secrets:
      API_TOKEN: "s3cr3t; $(rm -rf /)"
)yaml",
                             "pushgate.yaml");
  REQUIRE(c);
  REQUIRE(c->environments.size() == 1);
  const Environment& e = c->environments[0];
  CHECK(e.name == "production");
  CHECK(e.branch == "main");
  CHECK(e.path == "deploy/prod");
  CHECK(e.deployer.type == DeployerType::local);
  CHECK(e.deployer.dir == "/srv/app/prod");
  CHECK(e.deployer.keep_releases == 3);
  CHECK(e.deployer.before == std::vector<std::vector<std::string>>{{"/usr/local/bin/check-config", "{release}"}});
  CHECK(e.deployer.after.size() == 2);
  CHECK(e.deployer.after[0] == std::vector<std::string>{"systemctl", "reload", "app"});
  CHECK(e.deployer.timeout == 2min);
  REQUIRE(e.health);
  CHECK(e.health->command == std::vector<std::string>{"curl", "-fsS", "http://127.0.0.1:8080/health"});
  CHECK(e.health->timeout == 5s);
  CHECK(e.health->retries == 4);
  CHECK(e.health->interval == 250ms);
  CHECK(e.retry.attempts == 2);
  CHECK(e.retry.delay == 10s);
  CHECK(e.retry.on_interrupt == OnInterrupt::rollback);
  using Vars = std::vector<std::pair<std::string, std::string>>;
  CHECK(e.variables == Vars{{"APP_MODE", "production"}, {"PORT", "8080"}});
  CHECK(e.secrets == Vars{{"API_TOKEN", "s3cr3t; $(rm -rf /)"}});
}

TEST_CASE("environments: a command deployer and the defaults") {
  auto c = parse_repo_config(R"yaml(environments:
  staging:
    branch: staging
    deployer: {type: command, run: ["ansible-playbook", "-i", "staging", "{release}/site.yml"]}
)yaml",
                             "pushgate.yaml");
  REQUIRE(c);
  const Environment& e = c->environments.at(0);
  CHECK(e.path.empty());
  CHECK(e.deployer.type == DeployerType::command);
  CHECK(e.deployer.run == std::vector<std::string>{"ansible-playbook", "-i", "staging", "{release}/site.yml"});
  CHECK(e.deployer.keep_releases == 5);
  CHECK(e.deployer.timeout == 10min);
  CHECK_FALSE(e.health);
  CHECK(e.retry.attempts == 1);
  CHECK(e.retry.on_interrupt == OnInterrupt::retry);
  CHECK(e.variables.empty());
  CHECK(e.secrets.empty());
}

TEST_CASE("environments: every mistake is reported at its line and column") {
  SECTION("a deployer is required, with a known type") {
    auto m = rejected("environments:\n  prod: {branch: main}\n  dev: {branch: dev, deployer: {type: nomad}}\n");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:2:9: error: [config] environments.prod needs a deployer:"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:3:39: error: [config] environments.dev.deployer.type must be "
                                  "local, command, ssh or kubernetes, not 'nomad'"));
  }
  SECTION("a local deployer needs an absolute dir") {
    auto m = rejected(R"yaml(environments:
  a: {branch: main, deployer: {type: local}}
  b:
    branch: main
    deployer: {type: local, dir: srv/app}
)yaml");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:2:31: error: [config] environments.a.deployer needs a dir:"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:5:34: error: [config] environments.b.deployer.dir must be an "
                                  "absolute folder"));
  }
  SECTION("a command deployer needs run, and keys belong to their type") {
    auto m = rejected(R"yaml(environments:
  a:
    branch: main
    deployer: {type: command, dir: /srv/x}
  b:
    branch: main
    deployer: {type: local, dir: /srv/x, run: [x]}
)yaml");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:4:15: error: [config] environments.a.deployer needs run:"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:4:31: error: [config] unknown key 'dir' in "
                                  "environments.a.deployer (type: command)"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:7:42: error: [config] unknown key 'run' in "
                                  "environments.b.deployer (type: local)"));
  }
  SECTION("commands are argv lists") {
    auto m = rejected(R"yaml(environments:
  a:
    branch: main
    deployer:
      type: local
      dir: /srv/a
      before: ["/usr/bin/check", "{release}"]
      after: "systemctl reload app"
      timeout: 0s
    health: {command: [], retries: 0}
)yaml");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:7:15: error: [config] environments.a.deployer.before must be a "
                                  "list of commands, each an argv list"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:8:14: error: [config] environments.a.deployer.after must be a "
                                  "list of commands"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:9:16: error: [config] environments.a.deployer.timeout must be "
                                  "longer than 0"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:10:23: error: [config] environments.a.health.command must name "
                                  "a program"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:10:36: error: [config] environments.a.health.retries must be a "
                                  "whole number from 1 to 100"));
  }
  SECTION("unknown keys anywhere in an environment") {
    auto m = rejected(R"yaml(environments:
  a:
    branch: main
    deploy: {type: local, dir: /srv/a}
    deployer: {type: local, dir: /srv/a}
    health: {command: [x], tries: 3}
    retry: {attempts: 2, on_interrupt: ignore, backoff: 1s}
)yaml");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:4:5: error: [config] unknown key 'deploy' in environments.a"));
    CHECK_THAT(
        m, Catch::Contains("pushgate.yaml:6:28: error: [config] unknown key 'tries' in environments.a.health"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:7:40: error: [config] environments.a.retry.on_interrupt must be "
                                  "retry or rollback"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:7:48: error: [config] unknown key 'backoff' in "
                                  "environments.a.retry"));
  }
  SECTION("the deployed path stays inside the pushed tree") {
    auto m = rejected(R"yaml(environments:
  a: {branch: main, path: /etc, deployer: {type: local, dir: /srv/a}}
  b: {branch: main, path: deploy/../.., deployer: {type: local, dir: /srv/b}}
)yaml");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:2:27: error: [config] environments.a.path must be a folder of "
                                  "the pushed tree"));
    CHECK_THAT(m,
               Catch::Contains("pushgate.yaml:3:27: error: [config] environments.b.path must not contain '..'"));
  }
  SECTION("variable names, reserved names and secrets that are also plain variables") {
    auto m = rejected(R"yaml(environments:
  a:
    branch: main
    deployer: {type: local, dir: /srv/a}
    env: {"BAD-NAME": x, 1ST: y, PUSHGATE_COMMIT: z, TOKEN: t, EMPTY: }
    secrets: {TOKEN: hunter2}
)yaml");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:5:11: error: [config] environments.a.env: 'BAD-NAME' is not a "
                                  "variable name"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:5:26: error: [config] environments.a.env: '1ST' is not a "
                                  "variable name"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:5:34: error: [config] environments.a.env: 'PUSHGATE_COMMIT' is "
                                  "reserved"));
    CHECK_THAT(m, Catch::Contains("environments.a.env.EMPTY must be a string"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:6:15: error: [config] environments.a.secrets: 'TOKEN' is also "
                                  "set in environments.a.env"));
    // Messages name secrets, never their values.
    CHECK_THAT(m, !Catch::Contains("hunter2"));
  }
}

TEST_CASE("environments: an http health check") {
  auto c = parse_repo_config(R"yaml(environments:
  a:
    branch: main
    deployer: {type: local, dir: /srv/a}
    health: {http: "http://127.0.0.1:8080/healthz", expect: 204, timeout: 2s, retries: 5, interval: 100ms}
  b:
    branch: main
    deployer: {type: local, dir: /srv/b}
    health: {http: "http://127.0.0.1:8081/"}
)yaml",
                             "pushgate.yaml");
  REQUIRE(c);
  REQUIRE(c->environments.size() == 2);
  const HealthCheck& a = *c->environments[0].health;
  CHECK(a.command.empty());
  CHECK(a.http == "http://127.0.0.1:8080/healthz");
  CHECK(a.expect == 204);
  CHECK(a.timeout == 2s);
  CHECK(a.retries == 5);
  CHECK(a.interval == 100ms);
  CHECK(c->environments[1].health->expect == 200);

  SECTION("mistakes are reported at their line and column") {
    auto m = rejected(R"yaml(environments:
  a:
    branch: main
    deployer: {type: local, dir: /srv/a}
    health: {http: "ftp://127.0.0.1/", expect: 600}
  b:
    branch: main
    deployer: {type: command, run: [deploy]}
    health: {http: "http://{host}:8080/healthz"}
  c:
    branch: main
    deployer: {type: local, dir: /srv/c}
    health: {command: [probe], http: "http://127.0.0.1/"}
  d:
    branch: main
    deployer: {type: local, dir: /srv/d}
    health: {timeout: 1s}
  e:
    branch: main
    deployer: {type: local, dir: /srv/e}
    health: {http: "http://127.0.0.1:99999/"}
  f:
    branch: main
    deployer: {type: local, dir: /srv/f}
    health: {command: [probe], expect: 200}
)yaml");
    for (const char* line : {
             "pushgate.yaml:5:20: error: [config] environments.a.health.http 'ftp://127.0.0.1/' is not a usable "
             "URL: it must start with http:// or https://",
             "pushgate.yaml:5:48: error: [config] environments.a.health.expect must be a whole number from 100 to 599",
             "pushgate.yaml:9:20: error: [config] environments.b.health.http: {host} is replaced by each host of an "
             "ssh deployer; this environment deploys on the server itself, so write the address, like "
             "http://127.0.0.1:8080/healthz",
             "pushgate.yaml:13:38: error: [config] environments.c.health has both command and http; keep one of them",
             "pushgate.yaml:17:13: error: [config] environments.d.health needs a command: an argv list",
             "pushgate.yaml:21:20: error: [config] environments.e.health.http 'http://127.0.0.1:99999/' is not a "
             "usable URL: port '99999' must be a number from 1 to 65535",
             "pushgate.yaml:25:40: error: [config] environments.f.health.expect is the HTTP status an http check "
             "must answer",
         })
      CHECK_THAT(m, Catch::Contains(line));
  }
}
