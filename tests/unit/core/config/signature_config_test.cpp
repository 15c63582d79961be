#include <catch2/catch.hpp>

#include "core/config/repo_config.hpp"
#include "core/config/signature_config.hpp"

using namespace pushgate;

namespace {

constexpr const char* k_environments = R"(environments:
  production: {branch: main, deployer: {type: local, dir: /srv/prod}}
  staging: {branch: staging, deployer: {type: local, dir: /srv/staging}}
)";

}  // namespace

TEST_CASE("validate.signatures: entries by branch glob, full ref or environment, with key files") {
  auto c = parse_repo_config(std::string(R"(validate:
  signatures:
    - branches: ["release/*", "refs/tags/v*"]
      allowed_signers: keys/allowed_signers
    - environments: [production]
      allowed_signers: /etc/pushgate/allowed_signers
      keyring: /etc/pushgate/deployers.gpg
)") + k_environments,
                             "/srv/git/app.git/pushgate.yaml");
  REQUIRE(c);
  const auto& rules = c->validate.signatures;
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].allowed_signers == "/srv/git/app.git/keys/allowed_signers");
  CHECK(rules[0].keyring.empty());
  CHECK(rules[1].keyring == "/etc/pushgate/deployers.gpg");
  CHECK(rules[1].at.line == 5);

  auto rule_for = [&](const std::string& ref) { return signature_rule_for(rules, c->environments, ref); };
  CHECK(rule_for("refs/heads/release/1.2") == &rules[0]);
  CHECK(rule_for("refs/tags/v1.0") == &rules[0]);
  CHECK(rule_for("refs/heads/main") == &rules[1]);  // production's branch
  CHECK(rule_for("refs/heads/staging") == nullptr);
  CHECK(rule_for("refs/tags/release/1.2") == nullptr);  // a branch glob does not cover tags
  CHECK(rule_for("refs/heads/release/1/2") == nullptr);  // * stays within one segment
}

TEST_CASE("validate.signatures: mistakes are reported at their line and column") {
  auto errors = [](const std::string& signatures) {
    auto c = parse_repo_config("validate:\n  signatures:\n" + signatures + k_environments, "pushgate.yaml");
    REQUIRE_FALSE(c);
    return c.error().message;
  };
  CHECK_THAT(errors("    - {allowed_signers: /k}\n"), Catch::Contains("pushgate.yaml:3:7: error: [config] "
                                                                         "validate.signatures[0] covers no ref"));
  CHECK_THAT(errors("    - {branches: [main]}\n"), Catch::Contains("validate.signatures[0] names no keys"));
  CHECK_THAT(errors("    - {environments: [prod], keyring: /k}\n"),
             Catch::Contains("names 'prod', which is not in environments:"));
  CHECK_THAT(errors("    - {branches: [main], keyring: /k, gpg: yes}\n"), Catch::Contains("gpg"));
  CHECK_THAT(errors("    {branches: [main]}\n"), Catch::Contains("must be a list"));
}

TEST_CASE("environments.<env>.allowed_pushers lists accounts and @groups; an empty list is a mistake") {
  auto c = parse_repo_config(R"(environments:
  production:
    branch: main
    deployer: {type: local, dir: /srv/prod}
    allowed_pushers: [alice, "@deployers"]
)",
                             "pushgate.yaml");
  REQUIRE(c);
  CHECK(c->environments[0].allowed_pushers == std::vector<std::string>{"alice", "@deployers"});

  auto empty = parse_repo_config(R"(environments:
  production: {branch: main, deployer: {type: local, dir: /srv/prod}, allowed_pushers: []}
)",
                                 "pushgate.yaml");
  REQUIRE_FALSE(empty);
  CHECK_THAT(empty.error().message, Catch::Contains("allowed_pushers is empty, so nobody could push"));
}
