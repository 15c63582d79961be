#include "validators/git_tree_source.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

#include "core/git.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;

namespace {

// A work-tree repository made with the git CLI, as a developer would.
struct TwoCommits {
  test::TempDir dir;
  git::RepositoryPtr repo;
  git::TreePtr first, second;

  TwoCommits() {
    auto git = [&](const std::string& args) {
      std::string cmd = "cd '" + dir.path().string() + "' && GIT_CONFIG_NOSYSTEM=1 HOME='" +
                        dir.path().string() + "' git -c user.name=t -c user.email=t@t " + args +
                        " >/dev/null 2>&1";
      REQUIRE(std::system(cmd.c_str()) == 0);
    };
    git("init -q");
    test::spit(dir / "a/x.yaml", "x: 1\n");
    test::spit(dir / "a/b/y.yaml", "y: 1\n");
    test::spit(dir / "a/b/same.yaml", "s: 1\n");
    test::spit(dir / "c.yaml", "c: 1\n");
    git("add -A && git -c user.name=t -c user.email=t@t commit -qm one");
    test::spit(dir / "a/b/y.yaml", "y: 2\n");
    test::spit(dir / "d/z.yaml", "z: 1\n");
    std::filesystem::remove(dir / "c.yaml");
    git("add -A && git update-index --chmod=+x a/x.yaml && git -c user.name=t -c user.email=t@t commit -qm two");
    repo = git::open(dir.path().string()).value();
    first = git::tree_of_revision(repo.get(), "HEAD~1").value();
    second = git::tree_of_revision(repo.get(), "HEAD").value();
  }
};

}  // namespace

TEST_CASE("changed_paths lists added, modified and re-moded files, not deleted or unchanged ones",
          "[validators][git]") {
  git::Library library;
  TwoCommits r;
  CHECK(changed_paths(r.repo.get(), r.first.get(), r.second.get()) ==
        std::vector<std::string>{"a/b/y.yaml", "a/x.yaml", "d/z.yaml"});
  CHECK(changed_paths(r.repo.get(), r.second.get(), r.second.get()).empty());
  SECTION("without an old tree every file counts") {
    CHECK(changed_paths(r.repo.get(), nullptr, r.second.get()) ==
          std::vector<std::string>{"a/b/same.yaml", "a/b/y.yaml", "a/x.yaml", "d/z.yaml"});
  }
}
