#include "deployers/ssh/release_manifest.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/deployers/deploy_fixture.hpp"

using namespace pushgate;
using namespace pushgate::ssh;
using namespace pushgate::test;

namespace {

ManifestEntry file(std::string path, std::string id, unsigned mode = 0100644) {
  return {mode, std::move(id), std::move(path)};
}
ManifestEntry folder(std::string path) { return {040000, "t", std::move(path)}; }

std::vector<std::string> paths(const Manifest& m) {
  std::vector<std::string> out;
  for (const auto& e : m) out.push_back(e.path);
  return out;
}

}  // namespace

TEST_CASE("manifest_of_tree lists a release's tree with folders before their content") {
  TestRepo repo;
  std::string commit = repo.commit(repo.files({{"deploy/app.yaml", "a\n"},
                                               {"deploy/bin/run*", "#!/bin/sh\n"},
                                               {"deploy/@link", "app.yaml"},
                                               {"README.md", "docs\n"}}));
  auto tree = tree_id_of(repo.get(), commit, "deploy");
  REQUIRE(tree.has_value());
  CHECK(*tree != tree_id_of(repo.get(), commit, "").value());
  auto m = manifest_of_tree(repo.get(), *tree);
  REQUIRE(m.has_value());
  CHECK(paths(*m) == std::vector<std::string>{"app.yaml", "bin", "bin/run", "link"});
  CHECK((*m)[0].mode == 0100644);
  CHECK((*m)[1].mode == 040000);
  CHECK((*m)[2].mode == 0100755);
  CHECK((*m)[3].mode == 0120000);
  CHECK_FALSE(tree_id_of(repo.get(), commit, "missing").has_value());
}

TEST_CASE("manifest_of_tree says when the repository has no such tree") {
  TestRepo repo;
  std::string commit = repo.commit(repo.files({{"a", "1\n"}}));
  for (std::string text : {std::string(40, 'a'), std::string("not hex"), commit}) {  // a commit is no tree
    CAPTURE(text);
    auto m = manifest_of_tree(repo.get(), text);
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().code == ErrorCode::input);
  }
}

TEST_CASE("diff keeps equal files and replaces what changed") {
  Manifest live{folder("conf"), file("conf/a", "1"), file("conf/b", "2"), file("gone", "3"),
                folder("old"),  file("old/x", "4"),  file("run", "5"),     file("kind", "6")};
  Manifest next{folder("conf"), file("conf/a", "1"), file("conf/b", "22"), file("new", "7"),
                file("run", "5", 0100755), folder("kind"), file("kind/y", "8")};
  ManifestDiff d = diff(live, next);
  // Folders go whole: old/x is not listed on its own.
  CHECK(d.removed == std::vector<std::string>{"conf/b", "gone", "old", "run", "kind"});
  CHECK(paths(d.added) == std::vector<std::string>{"conf/b", "new", "run", "kind", "kind/y"});
  CHECK(d.kept_files == 1);  // conf/a
}

TEST_CASE("diff against an empty live release adds everything") {
  Manifest next{folder("a"), file("a/b", "1")};
  ManifestDiff d = diff({}, next);
  CHECK(d.removed.empty());
  CHECK(d.added == next);
  CHECK(d.kept_files == 0);
}
