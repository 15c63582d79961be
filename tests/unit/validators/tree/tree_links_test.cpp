#include "validators/tree/tree_links.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

#include "core/git/git.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;

namespace {

// A commit of a work tree holding the links `links` (name -> target) beside
// a few files, made with the git CLI.
struct LinkTree {
  test::TempDir dir;
  git::RepositoryPtr repo;
  git::TreePtr tree;

  explicit LinkTree(const std::vector<std::pair<std::string, std::string>>& links) {
    test::spit(dir / "deploy/web.txt", "kind: ConfigMap\n");
    test::spit(dir / "shared/base.yaml", "base: 1\n");
    test::spit(dir / "deploy/sub/keep.txt", "\n");
    for (const auto& [name, target] : links) std::filesystem::create_symlink(target, dir / name);
    std::string cmd = "cd '" + dir.path().string() + "' && GIT_CONFIG_NOSYSTEM=1 HOME='" + dir.path().string() +
                      "' sh -c 'git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm t'"
                      " >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    repo = git::open(dir.path().string()).value();
    tree = git::tree_of_revision(repo.get(), "HEAD").value();
  }

  // The entry of the link at `path`.
  ManifestEntry entry(const std::string& path) {
    git_tree_entry* raw = nullptr;
    REQUIRE(git_tree_entry_bypath(&raw, tree.get(), path.c_str()) == 0);
    git_oid id = *git_tree_entry_id(raw);
    git_tree_entry_free(raw);
    return link_entry(repo.get(), tree.get(), path, id);
  }
};

}  // namespace

TEST_CASE("link_entry follows a link within the tree", "[validators][git]") {
  git::Library library;
  LinkTree t({{"deploy/web.yaml", "web.txt"},
              {"deploy/sub/up.yaml", "../../shared/base.yaml"},
              {"deploy/chain.yaml", "web.yaml"},
              {"deploy/via-folder.yaml", "shared-link/base.yaml"},
              {"deploy/shared-link", "../shared"},
              {"deploy/dots.yaml", "./sub/../web.txt"}});
  CHECK(t.entry("deploy/web.yaml").link == "deploy/web.txt");
  CHECK(t.entry("deploy/sub/up.yaml").link == "shared/base.yaml");
  CHECK(t.entry("deploy/chain.yaml").link == "deploy/web.txt");
  CHECK(t.entry("deploy/via-folder.yaml").link == "shared/base.yaml");
  CHECK(t.entry("deploy/dots.yaml").link == "deploy/web.txt");
  ManifestEntry web = t.entry("deploy/web.yaml");
  CHECK(web.problem.empty());
  CHECK(web.key.size() == 40);
}

TEST_CASE("link_entry refuses links that leave the tree, dangle or loop", "[validators][git]") {
  git::Library library;
  LinkTree t({{"deploy/abs.yaml", "/etc/passwd"},
              {"deploy/up.yaml", "../../outside.yaml"},
              {"deploy/gone.yaml", "missing.yaml"},
              {"deploy/loop.yaml", "loop2.yaml"},
              {"deploy/loop2.yaml", "loop.yaml"},
              {"deploy/folder.yaml", "../shared/.."},
              {"deploy/through-file.yaml", "web.txt/x"},
              {"deploy/hop-out.yaml", "abs.yaml"}});
  auto problem = [&](const std::string& path) {
    ManifestEntry e = t.entry(path);
    CHECK(e.key.empty());
    CHECK(e.link.empty());
    return e.problem;
  };
  CHECK_THAT(problem("deploy/abs.yaml"), Catch::Contains("'/etc/passwd'") && Catch::Contains("absolute"));
  CHECK_THAT(problem("deploy/up.yaml"), Catch::Contains("leaves the repository's tree"));
  CHECK_THAT(problem("deploy/gone.yaml"), Catch::Contains("'deploy/missing.yaml', which is not in this commit"));
  CHECK_THAT(problem("deploy/loop.yaml"), Catch::Contains("more than 40 links"));
  CHECK_THAT(problem("deploy/folder.yaml"), Catch::Contains("the folder '.'"));
  CHECK_THAT(problem("deploy/through-file.yaml"), Catch::Contains("not a folder"));
  CHECK_THAT(problem("deploy/hop-out.yaml"), Catch::Contains("goes through 'deploy/abs.yaml'"));
}
