#include "core/git/tree_changes.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/git/git.hpp"
#include "tests/unit/support/git_work_tree.hpp"

using namespace pushgate;

namespace {

// "path before>after", each side the entry's kind or "-" when absent.
std::vector<std::string> changes(test::GitWorkTree& w, const std::string& from, const std::string& to,
                                 git::GoneFolders gone) {
  git::TreePtr old_tree = git::tree_of_revision(w.repo.get(), from).value();
  git::TreePtr new_tree = git::tree_of_revision(w.repo.get(), to).value();
  auto kind = [](const git_tree_entry* e) -> std::string {
    if (!e) return "-";
    return git_tree_entry_type(e) == GIT_OBJECT_TREE ? "folder" : "file";
  };
  std::vector<std::string> out;
  git::for_each_tree_change(w.repo.get(), old_tree.get(), new_tree.get(), gone, [&](const git::TreeChange& c) {
    out.push_back(c.path + " " + kind(c.before) + ">" + kind(c.after));
  });
  return out;
}

}  // namespace

TEST_CASE("tree changes are the files that differ, folder by folder", "[git][tree]") {
  git::Library library;
  test::GitWorkTree w;
  w.commit("deep/a/b/c/keep.txt", "keep\n");
  w.commit("deep/a/b/c/edit.txt", "one\n");
  w.commit("gone/x/one.txt", "1\n");
  w.commit("swap", "a file, then a folder\n");
  std::string before = w.commit("gone/two.txt", "2\n");
  w.commit("deep/a/b/c/edit.txt", "two\n");
  w.git("rm -rq gone swap");
  w.commit("swap/inside.txt", "in\n");
  w.commit("new/n/new.txt", "new\n");

  SECTION("a gone folder once, or file by file") {
    CHECK(changes(w, before, "HEAD", git::GoneFolders::whole) ==
          std::vector<std::string>{"deep/a/b/c/edit.txt file>file", "new/n/new.txt ->file", "swap file>-",
                                   "swap/inside.txt ->file", "gone folder>-"});
    CHECK(changes(w, before, "HEAD", git::GoneFolders::by_file) ==
          std::vector<std::string>{"deep/a/b/c/edit.txt file>file", "new/n/new.txt ->file", "swap file>-",
                                   "swap/inside.txt ->file", "gone/two.txt file>-", "gone/x/one.txt file>-"});
  }
  SECTION("a folder that is the same on both sides is not read") {
    w.commit("deep/top.txt", "top\n");
    // Its object gone from the repository: reading it would fail.
    std::string same = w.git("rev-parse HEAD:deep/a/b");
    REQUIRE(std::filesystem::remove(w.dir / ".git/objects" / same.substr(0, 2) / same.substr(2)));
    CHECK(changes(w, "HEAD~1", "HEAD", git::GoneFolders::whole) == std::vector<std::string>{"deep/top.txt ->file"});
  }
  SECTION("a folder that cannot be read is named") {
    std::string changed = w.git("rev-parse HEAD:new/n");
    REQUIRE(std::filesystem::remove(w.dir / ".git/objects" / changed.substr(0, 2) / changed.substr(2)));
    CHECK_THROWS_WITH(changes(w, before, "HEAD", git::GoneFolders::whole), Catch::Contains("cannot read folder 'new/n'"));
  }
}
