#include <catch2/catch.hpp>

#include "core/config/repo_config.hpp"

#include <sys/stat.h>

#include <fstream>

#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using namespace std::chrono_literals;

TEST_CASE("parse_repo_config reads validate settings") {
  auto c = parse_repo_config(R"(validate:
  include: ["deploy/**/*.yaml"]
  exclude: ["deploy/vendor/**"]
  limits: {file_size: 2MiB, depth: 50, aliases: 10, documents: 5}
  time_budget: 3s
  max_findings: 7
  rules: {yaml.crlf: off, k8s.labels: warning}
environments:
  production: {branch: main, path: deploy/prod, deployer: {type: local, dir: /srv/app}}
  staging:
    branch: refs/heads/staging
    deployer: {type: command, run: [deploy-staging]}
)",
                             "pushgate.yaml");
  REQUIRE(c);
  CHECK(c->validate.include == std::vector<std::string>{"deploy/**/*.yaml"});
  CHECK(c->validate.exclude == std::vector<std::string>{"deploy/vendor/**"});
  CHECK(c->validate.file_size == 2u << 20);
  CHECK(c->validate.limits.depth == 50);
  CHECK(c->validate.limits.alias_expansions == 10);
  CHECK(c->validate.limits.documents == 5);
  CHECK(c->validate.time_budget == 3s);
  CHECK(c->validate.max_findings == 7);
  CHECK(c->validate.rules.at("yaml.crlf") == RuleSetting::off);
  CHECK(c->validate.rules.at("k8s.labels") == RuleSetting::warning);
  REQUIRE(c->environments.size() == 2);
  CHECK(c->environments[0].name == "production");
  CHECK(c->environments[0].path == "deploy/prod");
  CHECK(c->environments[1].branch == "staging");
}

TEST_CASE("parse_repo_config gives defaults for an empty file") {
  auto c = parse_repo_config("", "pushgate.yaml");
  REQUIRE(c);
  CHECK(c->validate.include.size() == 3);
  CHECK(c->validate.file_size == 1u << 20);
  CHECK(c->validate.time_budget == 10s);
  CHECK(c->validate.max_findings == 50);
  CHECK(c->environments.empty());
}

TEST_CASE("parse_repo_config reports every error with file:line:col") {
  SECTION("wrong types and unknown keys") {
    auto c = parse_repo_config("validate:\n  max_findings: lots\n  inclde: []\n", "/srv/app.git/pushgate.yaml");
    REQUIRE_FALSE(c);
    CHECK(c.error().code == ErrorCode::config);
    CHECK_THAT(c.error().message,
               Catch::Contains("/srv/app.git/pushgate.yaml:2:17: error: [config] validate.max_findings"));
    CHECK_THAT(c.error().message, Catch::Contains("pushgate.yaml:3:3: error: [config] unknown key 'inclde'"));
  }
  SECTION("syntax errors") {
    auto c = parse_repo_config("validate: [\n", "pushgate.yaml");
    REQUIRE_FALSE(c);
    CHECK_THAT(c.error().message, Catch::StartsWith("pushgate.yaml:"));
  }
  SECTION("duplicate keys are not silently merged") {
    auto c = parse_repo_config("validate:\n  time_budget: 1s\n  time_budget: 99s\n", "pushgate.yaml");
    REQUIRE_FALSE(c);
    CHECK_THAT(c.error().message, Catch::Contains("pushgate.yaml:3:3"));
    CHECK_THAT(c.error().message, Catch::Contains("duplicate key 'time_budget'"));
  }
  SECTION("bad sizes, durations, rule settings and environment names") {
    auto c = parse_repo_config(R"(validate:
  limits: {file_size: huge}
  time_budget: whenever
  rules: {yaml.crlf: maybe}
environments:
  "../etc": {branch: main}
  prod: {path: x}
)",
                               "pushgate.yaml");
    REQUIRE_FALSE(c);
    const auto& m = c.error().message;
    CHECK_THAT(m, Catch::Contains("validate.limits.file_size"));
    CHECK_THAT(m, Catch::Contains("validate.time_budget"));
    CHECK_THAT(m, Catch::Contains("off, warning or error"));
    CHECK_THAT(m, Catch::Contains("environment name '../etc'"));
    CHECK_THAT(m, Catch::Contains("environments.prod needs a branch"));
  }
}

TEST_CASE("find_environment finds an environment or names the known ones") {
  RepoConfig config;
  config.environments.resize(2);
  config.environments[0].name = "production";
  config.environments[1].name = "staging";
  auto found = find_environment(config, "staging", "/srv/git/app.git");
  REQUIRE(found);
  CHECK(*found == &config.environments[1]);

  auto missing = find_environment(config, "nope", "/srv/git/app.git");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::usage);
  CHECK(missing.error().message == "'/srv/git/app.git' has no environment 'nope' (known: production, staging)");
  CHECK_THAT(find_environment(RepoConfig{}, "production", "/srv/git/app.git").error().message,
             Catch::Contains("(known: none)"));
}

TEST_CASE("load_repo_config reads pushgate.yaml only when no other account can write it") {
  pushgate::test::TempDir dir;
  std::string git_dir = dir.path().string();
  SECTION("a missing file gives the defaults") {
    auto config = pushgate::load_repo_config(git_dir);
    REQUIRE(config);
    CHECK(config->environments.empty());
  }
  std::ofstream(dir / "pushgate.yaml") << "validate:\n  include: []\n";
  SECTION("a file of the owner, writable only by it, is read") {
    ::chmod((dir / "pushgate.yaml").c_str(), 0644);
    auto config = pushgate::load_repo_config(git_dir);
    REQUIRE(config);
    CHECK(config->validate.include.empty());
  }
  SECTION("a group-writable file is refused, naming its mode and the fix") {
    ::chmod((dir / "pushgate.yaml").c_str(), 0664);
    auto config = pushgate::load_repo_config(git_dir);
    REQUIRE_FALSE(config);
    CHECK(config.error().code == pushgate::ErrorCode::config);
    CHECK_THAT(config.error().message, Catch::Contains("pushgate.yaml") && Catch::Contains("0664") &&
                                           Catch::Contains("chmod go-w"));
  }
}

TEST_CASE("validate.schemas are taken from the config's folder unless absolute") {
  auto c = parse_repo_config("validate:\n  schemas: [k8s.json, ../crds, /etc/pushgate/extra.json]\n",
                             "/srv/git/app.git/pushgate.yaml");
  REQUIRE(c);
  CHECK(c->validate.schemas ==
        std::vector<std::string>{"/srv/git/app.git/k8s.json", "/srv/git/crds", "/etc/pushgate/extra.json"});
  CHECK(c->validate.schemas_at.line == 2);

  auto bad = parse_repo_config("validate:\n  schemas: [\"\"]\n", "/srv/git/app.git/pushgate.yaml");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message, Catch::Contains("pushgate.yaml:2:") && Catch::Contains("validate.schemas: an entry is empty"));
}

TEST_CASE("validate.secrets: the allow-list is taken from the config's folder; file_size and max_commits") {
  auto c = parse_repo_config(
      "validate:\n  secrets: {allowlist: allow/secrets.txt, file_size: 2MiB, max_commits: 50000}\n",
      "/srv/git/app.git/pushgate.yaml");
  REQUIRE(c);
  CHECK(c->validate.secrets.allowlist == "/srv/git/app.git/allow/secrets.txt");
  CHECK(c->validate.secrets.allowlist_at.line == 2);
  CHECK(c->validate.secrets.file_size == 2u << 20);
  CHECK(c->validate.secrets.max_commits == 50000);
  CHECK(parse_repo_config("", "p.yaml")->validate.secrets.allowlist.empty());

  auto bad = parse_repo_config("validate:\n  secrets:\n    allowlist: \"\"\n    allow: x\n", "/srv/pushgate.yaml");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message, Catch::Contains("pushgate.yaml:3:") && Catch::Contains("allow-list file") &&
                                      Catch::Contains("pushgate.yaml:4:"));
}
