#include "deployers/release_tree.hpp"

#include "tests/unit/deployers/deploy_fixture.hpp"

using namespace pushgate;
using namespace pushgate::test;

namespace {

using Snapshot = std::map<std::string, std::string>;

// Materializes `tree` and expects it to be refused with a message naming `path`.
void expect_refused(TestRepo& repo, const git_oid& tree, const std::string& path, const std::string& why) {
  TempDir dir;
  auto copy = materialize_tree(repo.get(), repo.commit(tree), "", dir / "release");
  REQUIRE_FALSE(copy);
  CHECK(copy.error().code == ErrorCode::input);
  CHECK_THAT(copy.error().message, Catch::Contains("refusing to deploy '" + path + "'"));
  CHECK_THAT(copy.error().message, Catch::Contains(why));
  CHECK_FALSE(fs::exists(dir / "release"));  // nothing half-written is left
}

}  // namespace

TEST_CASE("materialize_tree writes exactly the subtree, executable bits and symlinks included") {
  TestRepo repo;
  std::string commit = repo.commit(repo.files({
      {"README.md", "not deployed\n"},
      {"deploy/other/x.yaml", "other: 1\n"},
      {"deploy/prod/app.yaml", "replicas: 3\n"},
      {"deploy/prod/bin/start.sh*", "#!/bin/sh\necho start\n"},
      {"deploy/prod/conf/nested/deep/value.txt", "deep\n"},
      {"deploy/prod/@current.yaml", "app.yaml"},
      {"deploy/prod/conf/@up", "../bin"},
  }));
  TempDir dir;

  SECTION("a subtree") {
    auto copy = materialize_tree(repo.get(), commit, "deploy/prod", dir / "release");
    REQUIRE(copy);
    CHECK(snapshot(dir / "release") == Snapshot{
                                           {"app.yaml", "file replicas: 3\n"},
                                           {"bin", "dir"},
                                           {"bin/start.sh", "exec #!/bin/sh\necho start\n"},
                                           {"conf", "dir"},
                                           {"conf/nested", "dir"},
                                           {"conf/nested/deep", "dir"},
                                           {"conf/nested/deep/value.txt", "file deep\n"},
                                           {"conf/up", "link ../bin"},
                                           {"current.yaml", "link app.yaml"},
                                       });
    CHECK(copy->files == 3);
    CHECK(copy->symlinks == 2);
    CHECK(copy->folders == 4);
    CHECK(copy->bytes == 12 + 21 + 5);
  }
  SECTION("the whole tree when the path is empty") {
    REQUIRE(materialize_tree(repo.get(), commit, "", dir / "release"));
    auto all = snapshot(dir / "release");
    CHECK(all.at("README.md") == "file not deployed\n");
    CHECK(all.at("deploy/other/x.yaml") == "file other: 1\n");
    CHECK(all.at("deploy/prod/bin/start.sh") == "exec #!/bin/sh\necho start\n");
    CHECK(all.size() == 14);
  }
  SECTION("a path that is not a folder of the commit") {
    auto missing = materialize_tree(repo.get(), commit, "deploy/staging", dir / "release");
    REQUIRE_FALSE(missing);
    CHECK_THAT(missing.error().message, Catch::Contains("has no folder 'deploy/staging'"));
    auto file = materialize_tree(repo.get(), commit, "README.md", dir / "release");
    REQUIRE_FALSE(file);
    CHECK_THAT(file.error().message, Catch::Contains("'README.md' in commit"));
    CHECK_FALSE(fs::exists(dir / "release"));
  }
  SECTION("a release folder that exists already is not touched") {
    spit(dir / "release" / "keep.txt", "mine");
    REQUIRE_FALSE(materialize_tree(repo.get(), commit, "", dir / "release"));
    CHECK(slurp(dir / "release" / "keep.txt") == "mine");
  }
}

TEST_CASE("materialize_tree refuses trees that would write outside the release folder") {
  TestRepo repo;
  git_oid ok = repo.blob("x");
  git_oid inner = repo.tree({{"100644", "file", ok}});

  SECTION("names '..', '.' and names with '/'") {
    expect_refused(repo, repo.tree({{"40000", "..", inner}}), "..", "'..'");
    expect_refused(repo, repo.tree({{"40000", "sub", repo.tree({{"100644", "..", ok}})}}), "sub/..", "'..'");
    expect_refused(repo, repo.tree({{"100644", ".", ok}}), ".", "'.'");
    expect_refused(repo, repo.tree({{"100644", "../../etc/cron.d/x", ok}}), "../../etc/cron.d/x", "contains '/'");
    expect_refused(repo, repo.tree({{"100644", "/etc/passwd", ok}}), "/etc/passwd", "contains '/'");
  }
  SECTION("symlinks to absolute paths or out of the folder") {
    expect_refused(repo, repo.tree({{"120000", "passwd", repo.blob("/etc/passwd")}}), "passwd",
                   "absolute path '/etc/passwd'");
    expect_refused(repo, repo.tree({{"40000", "a", repo.tree({{"120000", "up", repo.blob("../..")}})}}), "a/up",
                   "leads outside the release folder");
    expect_refused(repo, repo.tree({{"120000", "x", repo.blob("ok/../../x")}}), "x", "leads outside");
  }
  SECTION("a chain of symlinks, each harmless alone, that leads out") {
    // a/b/l -> ../.. is the release folder; m -> a/b/l/.. would be its parent.
    git_oid b = repo.tree({{"120000", "l", repo.blob("../..")}});
    git_oid a = repo.tree({{"40000", "b", b}});
    expect_refused(repo, repo.tree({{"40000", "a", a}, {"120000", "m", repo.blob("a/b/l/..")}}), "m",
                   "leads outside the release folder");
  }
  SECTION("symlink loops") {
    expect_refused(repo, repo.tree({{"120000", "p", repo.blob("q")}, {"120000", "q", repo.blob("p")}}), "p",
                   "cannot be resolved");
  }
  SECTION("submodules") {
    git_oid some_commit = ok;  // a gitlink names a commit of another repository
    expect_refused(repo, repo.tree({{"160000", "vendor", some_commit}}), "vendor", "is a submodule");
  }
  SECTION("a name twice, so that a write would follow a symlink") {
    // `dir` as a symlink to /tmp and as a folder holding a file: the file
    // must never be written through the link.
    git_oid tree = repo.tree({{"120000", "dir", repo.blob("inside")}, {"40000", "dir", inner}});
    TempDir dir;
    auto copy = materialize_tree(repo.get(), repo.commit(tree), "", dir / "release");
    REQUIRE_FALSE(copy);
    CHECK_THAT(copy.error().message, Catch::Contains("refusing to deploy 'dir': the tree holds this name twice"));
  }
}

TEST_CASE("materialize_tree never deploys a .git entry, whatever its case") {
  TestRepo repo;
  git_oid config = repo.blob("[core]\n\tfsmonitor = touch /tmp/pwned\n");
  git_oid dot_git = repo.tree({{"100644", "config", config}});
  for (const char* name : {".git", ".GIT", ".Git"}) {
    INFO(name);
    expect_refused(repo, repo.tree({{"40000", name, dot_git}}), name, "repository folder");
    expect_refused(repo, repo.tree({{"40000", "app", repo.tree({{"100644", name, config}})}}),
                   std::string("app/") + name, "repository folder");
  }
}

TEST_CASE("materialize_tree refuses a file or a release over its cap, from the object header") {
  TestRepo repo;
  std::string big(3000, 'x');
  git_oid sub = repo.tree({{"100644", "b.bin", repo.blob(big + "y")}});
  git_oid tree = repo.tree({{"100644", "a.txt", repo.blob(big)}, {"40000", "sub", sub}});
  TempDir dir;
  SECTION("one file over max_file") {
    auto copy = materialize_tree(repo.get(), repo.commit(tree), "", dir / "release", {3000, 1u << 20});
    REQUIRE_FALSE(copy);
    CHECK(copy.error().code == ErrorCode::input);
    CHECK_THAT(copy.error().message, Catch::Contains("refusing to deploy 'sub/b.bin'") &&
                                         Catch::Contains("3001 bytes") && Catch::Contains("3000 bytes") &&
                                         Catch::Contains("max_file_size"));
  }
  SECTION("the release over max_release") {
    auto copy = materialize_tree(repo.get(), repo.commit(tree), "", dir / "release", {1u << 20, 5000});
    REQUIRE_FALSE(copy);
    CHECK_THAT(copy.error().message, Catch::Contains("refusing to deploy 'sub/b.bin'") &&
                                         Catch::Contains("6001 bytes") && Catch::Contains("max_release_size"));
  }
  SECTION("at the caps exactly, streamed from loose objects or read from a pack") {
    std::string commit = repo.commit(tree);
    if (GENERATE(false, true)) {
      std::string git_dir = git_repository_path(repo.get());
      std::string pack = "cd '" + git_dir + "' && git cat-file --batch-all-objects --batch-check='%(objectname)' | "
                         "git pack-objects -q objects/pack/pack >/dev/null && git prune-packed";
      REQUIRE(std::system(pack.c_str()) == 0);
      REQUIRE_FALSE(fs::exists(git_dir + "objects/" + commit.substr(0, 2)));
    }
    auto copy = materialize_tree(repo.get(), commit, "", dir / "release", {3001, 6001});
    REQUIRE(copy);
    CHECK(copy->bytes == 6001);
    CHECK(slurp(dir / "release/a.txt") == big);
    CHECK(slurp(dir / "release/sub/b.bin") == big + "y");
  }
}
