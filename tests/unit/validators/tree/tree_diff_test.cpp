#include "validators/tree/tree_diff.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

#include "core/git/git.hpp"
#include "core/config/repo_config.hpp"
#include "tests/unit/support/temp_dir.hpp"
#include "validators/tree/git_tree_source.hpp"

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
    test::spit(dir / "e/old.yaml", "o: 1\n");
    test::spit(dir / "g", "a file, then a folder\n");
    test::spit(dir / "notes.txt", "one\n");
    git("add -A && git -c user.name=t -c user.email=t@t commit -qm one");
    test::spit(dir / "a/b/y.yaml", "y: 2\n");
    test::spit(dir / "d/z.yaml", "z: 1\n");
    test::spit(dir / "notes.txt", "two\n");
    std::filesystem::remove(dir / "c.yaml");
    std::filesystem::remove_all(dir / "e");
    std::filesystem::remove(dir / "g");
    test::spit(dir / "g/h.yaml", "h: 1\n");
    std::filesystem::create_symlink("a/x.yaml", dir / "link.yaml");
    git("add -A && git update-index --chmod=+x a/x.yaml && git -c user.name=t -c user.email=t@t commit -qm two");
    repo = git::open(dir.path().string()).value();
    first = git::tree_of_revision(repo.get(), "HEAD~1").value();
    second = git::tree_of_revision(repo.get(), "HEAD").value();
  }
};

std::vector<std::string> paths(const std::vector<ManifestEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.path);
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("diff_trees lists the manifests to read and what of the old tree is gone", "[validators][git]") {
  git::Library library;
  TwoCommits r;
  ValidateSettings settings;
  PathFilter filter(settings.include, settings.exclude);

  TreeDiff diff = diff_trees(r.repo.get(), r.first.get(), r.second.get(), filter);
  // Added, modified and re-moded manifests and the symbolic link; not notes.txt.
  CHECK(paths(diff.changed) ==
        std::vector<std::string>{"a/b/y.yaml", "a/x.yaml", "d/z.yaml", "g/h.yaml", "link.yaml"});
  // Deleted files, whole folders, a file replaced by a folder, and every
  // modified path, whatever the globs say.
  CHECK(sorted(diff.removed) == std::vector<std::string>{"a/b/y.yaml", "a/x.yaml", "c.yaml", "e/", "g", "notes.txt"});

  SECTION("keys are blob ids that GitTreeSource reads") {
    GitTreeSource source(r.repo.get(), diff.changed);
    CHECK(source.entries()[0].key.size() == 40);
    CHECK(source.read(source.entries()[0]).value() == "y: 2\n");
    CHECK(source.size(source.entries()[0]) == 5);
  }
  SECTION("a symbolic link is read as its target") {
    const ManifestEntry& link = diff.changed.back();
    CHECK(link.link == "a/x.yaml");
    CHECK(link.key == diff.changed[1].key);
    CHECK(link.problem.empty());
  }
  SECTION("the same tree: nothing") {
    TreeDiff none = diff_trees(r.repo.get(), r.second.get(), r.second.get(), filter);
    CHECK(none.changed.empty());
    CHECK(none.removed.empty());
  }
  SECTION("without an old tree every selected file counts") {
    TreeDiff all = diff_trees(r.repo.get(), nullptr, r.second.get(), filter);
    CHECK(paths(all.changed) ==
          std::vector<std::string>{"a/b/same.yaml", "a/b/y.yaml", "a/x.yaml", "d/z.yaml", "g/h.yaml", "link.yaml"});
    CHECK(all.removed.empty());
  }
  SECTION("backwards: the folder that reappears is read whole, the new one is gone") {
    TreeDiff back = diff_trees(r.repo.get(), r.second.get(), r.first.get(), filter);
    CHECK(paths(back.changed) == std::vector<std::string>{"a/b/y.yaml", "a/x.yaml", "c.yaml", "e/old.yaml"});
    CHECK(sorted(back.removed) ==
          std::vector<std::string>{"a/b/y.yaml", "a/x.yaml", "d/", "g/", "link.yaml", "notes.txt"});
  }
}
