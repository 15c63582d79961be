#include <catch2/catch.hpp>

#include "hooks/post_receive.hpp"

using namespace pushgate;

namespace {

RepoConfig config_with(std::vector<std::pair<std::string, std::string>> envs) {
  RepoConfig config;
  for (auto& [name, branch] : envs) {
    Environment e;
    e.name = name;
    e.branch = branch;
    config.environments.push_back(e);
  }
  return config;
}

std::vector<std::string> names(const std::vector<DeployTarget>& targets) {
  std::vector<std::string> out;
  for (const auto& t : targets) out.push_back(t.env->name + "<-" + t.update->ref);
  return out;
}

const std::string zero(40, '0');
const std::string a(40, 'a');
const std::string b(40, 'b');

}  // namespace

TEST_CASE("post-receive deploys every environment an updated branch maps to") {
  RepoConfig config = config_with({{"production", "main"}, {"canary", "main"}, {"staging", "staging"}});
  auto updates = parse_ref_updates(a + " " + b + " refs/heads/main\n" + zero + " " + a + " refs/heads/staging\n" +
                                   zero + " " + a + " refs/heads/feature\n");
  REQUIRE(updates);
  CHECK(names(deploy_targets(*updates, config)) ==
        std::vector<std::string>{"production<-refs/heads/main", "canary<-refs/heads/main",
                                 "staging<-refs/heads/staging"});

  SECTION("deleting a branch and pushing tags deploy nothing") {
    auto other = parse_ref_updates(a + " " + zero + " refs/heads/main\n" + zero + " " + a + " refs/tags/main\n");
    REQUIRE(other);
    CHECK(deploy_targets(*other, config).empty());
  }
  SECTION("a repository without environments deploys nothing") {
    CHECK(deploy_targets(*updates, RepoConfig{}).empty());
  }
}
