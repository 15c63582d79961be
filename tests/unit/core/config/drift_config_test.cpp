#include <catch2/catch.hpp>

#include "core/config/repo_config.hpp"
#include "tests/unit/support/repo_config_errors.hpp"

using namespace pushgate;
using pushgate::test::rejected;
using namespace std::chrono_literals;

TEST_CASE("drift: interval and heal per environment", "[drift]") {
  auto c = parse_repo_config(R"yaml(environments:
  prod:
    branch: main
    deployer: {type: local, dir: /srv/prod}
    drift: {interval: 2m, heal: true}
  stage:
    branch: stage
    deployer: {type: local, dir: /srv/stage}
    drift: {}
  dev:
    branch: dev
    deployer: {type: local, dir: /srv/dev}
)yaml",
                             "pushgate.yaml");
  REQUIRE(c);
  REQUIRE(c->environments.size() == 3);
  REQUIRE(c->environments[0].drift);
  CHECK(c->environments[0].drift->interval == 2min);
  CHECK(c->environments[0].drift->heal);
  REQUIRE(c->environments[1].drift);
  CHECK(c->environments[1].drift->interval == 5min);
  CHECK_FALSE(c->environments[1].drift->heal);
  CHECK_FALSE(c->environments[2].drift);
}

TEST_CASE("drift: mistakes are reported at their line and column", "[drift]") {
  SECTION("an interval under a second") {
    auto m = rejected(R"yaml(environments:
  prod:
    branch: main
    deployer: {type: local, dir: /srv/prod}
    drift: {interval: 500ms}
)yaml");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:5:23: error: [config] environments.prod.drift.interval must be "
                                  "at least 1s"));
  }
  SECTION("an unknown key and a heal that is not a boolean") {
    auto m = rejected(R"yaml(environments:
  prod:
    branch: main
    deployer: {type: local, dir: /srv/prod}
    drift: {every: 5m, heal: sometimes}
)yaml");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:5:13: error: [config]"));
    CHECK_THAT(m, Catch::Contains("every"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:5:30: error: [config] environments.prod.drift.heal"));
  }
  SECTION("a command deployer has no drift to check") {
    auto m = rejected(R"yaml(environments:
  prod:
    branch: main
    deployer: {type: command, run: ["/bin/true"]}
    drift: {interval: 5m}
)yaml");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:5:12: error: [config] environments.prod.drift: a command "
                                  "deployer has no drift"));
  }
}
