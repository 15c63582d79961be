#include "deployers/release_scan.hpp"

#include "tests/unit/deployers/deploy_fixture.hpp"

using namespace pushgate;
using namespace pushgate::test;

TEST_CASE("scan_release lists every entry with its size and symlink target, folders first") {
  TestRepo repo;
  std::string commit = repo.commit(repo.files({{"app.yaml", "replicas: 3\n"},
                                               {"bin/run*", "#!/bin/sh\n"},
                                               {"@current.yaml", "app.yaml"}}));
  auto release = scan_release(repo.get(), commit, "");
  REQUIRE(release.has_value());
  std::vector<std::string> paths;
  for (const auto& e : release->entries()) paths.push_back(e.path);
  CHECK(paths == std::vector<std::string>{"app.yaml", "bin", "bin/run", "current.yaml"});
  CHECK(release->find("app.yaml")->size == 12);
  CHECK(release->find("bin/run")->mode == 0100755);
  CHECK(release->find("current.yaml")->target == "app.yaml");
  CHECK(release->find("missing") == nullptr);
  CHECK(release->totals.files == 2);
  CHECK(release->totals.symlinks == 1);
  CHECK(release->totals.folders == 1);
  CHECK(release->tree.size() == 40);
}

TEST_CASE("scan_release resolves symlinks through each other as the written folder would") {
  TestRepo repo;
  git_oid file = repo.blob("x");
  auto scan = [&](git_oid tree) { return scan_release(repo.get(), repo.commit(tree), ""); };

  SECTION("chains that stay inside, dangling links and links through a file are accepted") {
    git_oid d = repo.tree({{"100644", "c", file}, {"120000", "up", repo.blob("..")}});
    CHECK(scan(repo.tree({{"40000", "d", d},
                          {"120000", "b", repo.blob("d")},
                          {"120000", "a", repo.blob("b/c")},
                          {"120000", "round", repo.blob("b/up/b/up/d/c")},
                          {"120000", "dangling", repo.blob("nowhere/../d")},
                          {"120000", "through-file", repo.blob("d/c/..")}}))
              .has_value());
  }
  SECTION("'..' is taken after the link it follows, not before") {
    // d/up -> .. is the release itself; b -> d/up/.. would be its parent.
    git_oid d = repo.tree({{"120000", "up", repo.blob("..")}});
    auto out = scan(repo.tree({{"40000", "d", d}, {"120000", "b", repo.blob("d/up/..")}}));
    REQUIRE_FALSE(out.has_value());
    CHECK_THAT(out.error().message, Catch::Contains("refusing to deploy 'b': symlink to 'd/up/..' leads outside"));
  }
  SECTION("a link to itself is a loop") {
    auto out = scan(repo.tree({{"120000", "self", repo.blob("self/x")}}));
    REQUIRE_FALSE(out.has_value());
    CHECK_THAT(out.error().message, Catch::Contains("cannot be resolved"));
  }
}
