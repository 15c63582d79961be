#include <catch2/catch.hpp>

#include "core/config/deploy_dir.hpp"
#include "core/config/repo_config.hpp"
#include "tests/unit/support/repo_config_errors.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using pushgate::test::rejected;
using pushgate::test::spit;
using pushgate::test::TempDir;

namespace {

std::string config_with_dir(const std::string& dir) {
  return "environments:\n  production:\n    branch: main\n    deployer: {type: local, dir: " + dir + "}\n";
}

}  // namespace

TEST_CASE("is_within compares whole path components after resolving links") {
  TempDir tmp;
  std::filesystem::create_directories(tmp / "srv/app");
  std::filesystem::create_symlink(tmp / "srv", tmp / "link");
  CHECK(is_within(tmp / "srv/app", tmp / "srv"));
  CHECK(is_within(tmp / "srv", tmp / "srv/"));
  CHECK(is_within(tmp / "link/app/new", tmp / "srv"));
  CHECK(is_within(tmp / "srv/app/../app", tmp / "srv/app"));
  CHECK_FALSE(is_within(tmp / "srv-other", tmp / "srv"));
  CHECK_FALSE(is_within(tmp / "srv", tmp / "srv/app"));
}

TEST_CASE("a local deployer dir of '/' is refused at its line and column") {
  CHECK_THAT(rejected(config_with_dir("/")), Catch::Contains("pushgate.yaml:4:34: error: [config]") &&
                                                 Catch::Contains("must not be '/'"));
  CHECK_THAT(rejected(config_with_dir("/srv/..")), Catch::Contains("must not be '/'"));
}

TEST_CASE("two environments sharing a deploy folder, or one inside the other's, are refused") {
  std::string dir_b = GENERATE(std::string("/srv/app"), std::string("/srv/app/"), std::string("/srv/app/staging"));
  std::string text = "environments:\n"
                     "  production:\n    branch: main\n    deployer: {type: local, dir: /srv/app}\n"
                     "  staging:\n    branch: dev\n    deployer: {type: local, dir: " + dir_b + "}\n";
  std::string message = rejected(text);
  CHECK_THAT(message, Catch::Contains("pushgate.yaml:7:34: error: [config] environments.staging.deployer.dir") &&
                          Catch::Contains("environments.production.deployer.dir '/srv/app' (pushgate.yaml:4:34)") &&
                          Catch::Contains("a folder of its own"));
  CHECK(parse_repo_config("environments:\n"
                          "  production:\n    branch: main\n    deployer: {type: local, dir: /srv/app}\n"
                          "  staging:\n    branch: dev\n    deployer: {type: local, dir: /srv/app-staging}\n",
                          "pushgate.yaml"));
}

TEST_CASE("load_repo_config refuses a deploy folder in the repository, at its line and column") {
  TempDir tmp;
  std::filesystem::create_directories(tmp / "app.git");
  std::string dir = GENERATE(std::string(""), std::string("/"), std::string("/releases"), std::string("/../app.git/x"));
  spit(tmp / "app.git/pushgate.yaml", config_with_dir((tmp / "app.git").string() + dir));
  auto config = load_repo_config((tmp / "app.git").string() + "/");
  REQUIRE_FALSE(config);
  CHECK(config.error().code == ErrorCode::config);
  CHECK_THAT(config.error().message, Catch::Contains((tmp / "app.git/pushgate.yaml").string() + ":4:34: error:") &&
                                         Catch::Contains("is inside the repository"));
  spit(tmp / "app.git/pushgate.yaml", config_with_dir((tmp / "app").string()));
  CHECK(load_repo_config((tmp / "app.git").string()));
}

TEST_CASE("check_deploy_dir refuses a deploy folder in the daemon's spool or state folder") {
  auto config = parse_repo_config(config_with_dir("/var/lib/pushgate/app"), "/srv/git/app.git/pushgate.yaml");
  REQUIRE(config);
  const Environment& env = config->environments[0];
  DaemonConfig daemon;
  daemon.spool = "/var/spool/pushgate";
  daemon.state = "/var/lib/pushgate";
  auto checked = check_deploy_dir(env, daemon);
  REQUIRE_FALSE(checked);
  CHECK(checked.error().code == ErrorCode::config);
  CHECK_THAT(checked.error().message, Catch::Contains("/srv/git/app.git/pushgate.yaml:4:34: error:") &&
                                          Catch::Contains("state folder /var/lib/pushgate"));
  daemon.state = "/var/lib/pushgate-state";
  CHECK(check_deploy_dir(env, daemon));
  daemon.spool = "/var/lib/pushgate/";
  CHECK_THAT(check_deploy_dir(env, daemon).error().message, Catch::Contains("spool"));
}

TEST_CASE("deployer caps have defaults a real app fits in and can be set") {
  auto c = parse_repo_config(config_with_dir("/srv/app"), "pushgate.yaml");
  REQUIRE(c);
  CHECK(c->environments[0].deployer.max_file_size == 100u << 20);
  CHECK(c->environments[0].deployer.max_release_size == 1u << 30);
  c = parse_repo_config("environments:\n  production:\n    branch: main\n"
                        "    deployer: {type: local, dir: /srv/app, max_file_size: 2MiB, max_release_size: 3GiB}\n",
                        "pushgate.yaml");
  REQUIRE(c);
  CHECK(c->environments[0].deployer.max_file_size == 2u << 20);
  CHECK(c->environments[0].deployer.max_release_size == 3ull << 30);
  CHECK_THAT(rejected("environments:\n  production:\n    branch: main\n"
                      "    deployer: {type: local, dir: /srv/app, max_file_size: lots}\n"),
             Catch::Contains("max_file_size must be a size"));
}
