#include "core/git/new_commits.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "core/git/git.hpp"
#include "tests/unit/support/git_work_tree.hpp"

using namespace pushgate;

namespace {

// Commits made on a branch and then forgotten (the branch reset) stand for
// a push's quarantined ones: present, reachable from no ref.
using History = test::GitWorkTree;

std::vector<std::string> hex(const std::vector<git_oid>& ids) {
  std::vector<std::string> out;
  for (const git_oid& id : ids) out.push_back(git::to_hex(id));
  return out;
}

}  // namespace

TEST_CASE("new_commits lists what no ref reaches yet, parents first", "[git][new_commits]") {
  git::Library library;
  History h;
  const std::string& base = h.base;
  std::string b = h.commit("b.txt", "b\n");
  std::string c = h.commit("c.txt", "c\n");
  h.git("reset -q --hard " + base);

  CHECK(hex(git::new_commits(h.repo.get(), {h.oid(c)}).value()) == std::vector<std::string>{b, c});

  SECTION("a commit that a ref reaches is not new") {
    h.git("branch other " + b);
    CHECK(hex(git::new_commits(h.repo.get(), {h.oid(c)}).value()) == std::vector<std::string>{c});
  }
  SECTION("a tag counts as a ref, peeled; a tag of a blob is ignored") {
    h.git("tag -a -m t v1 " + b);
    h.git("tag blobtag " + h.git("hash-object -w --stdin </dev/null"));
    CHECK(hex(git::new_commits(h.repo.get(), {h.oid(c)}).value()) == std::vector<std::string>{c});
  }
  SECTION("refs outside heads and tags count too") {
    h.git("update-ref refs/pull/1/head " + c);
    CHECK(git::new_commits(h.repo.get(), {h.oid(c)}).value().empty());
  }
  SECTION("a tip already reachable brings nothing") {
    CHECK(git::new_commits(h.repo.get(), {h.oid(base)}).value().empty());
  }
  SECTION("more commits than the limit is an error that says how many") {
    auto many = git::new_commits(h.repo.get(), {h.oid(c)}, 1);
    REQUIRE_FALSE(many);
    CHECK(many.error().code == ErrorCode::input);
    CHECK_THAT(many.error().message, Catch::Contains("2 new commits") && Catch::Contains("1"));
    CHECK(git::new_commits(h.repo.get(), {h.oid(c)}, 2).value().size() == 2);
  }
}

TEST_CASE("new_commits follows both sides of a merge and several tips", "[git][new_commits]") {
  git::Library library;
  History h;
  const std::string& base = h.base;
  h.git("checkout -q -b side");
  std::string s = h.commit("s.txt", "s\n");
  h.git("checkout -q main");
  std::string m1 = h.commit("m1.txt", "m1\n");
  h.git("merge -q --no-edit side");
  std::string merge = h.git("rev-parse HEAD");
  h.git("checkout -q -b lone " + base);
  std::string lone = h.commit("lone.txt", "lone\n");
  h.git("checkout -q main");
  h.git("reset -q --hard " + base);
  h.git("branch -D side lone");

  auto ids = hex(git::new_commits(h.repo.get(), {h.oid(merge), h.oid(lone)}).value());
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> want{s, m1, merge, lone};
  std::sort(want.begin(), want.end());
  CHECK(ids == want);
  // The merge comes after both of its parents.
  auto order = hex(git::new_commits(h.repo.get(), {h.oid(merge)}).value());
  REQUIRE(order.size() == 3);
  CHECK(order.back() == merge);
}

TEST_CASE("commits_in_range reads A..B and a single revision", "[git][new_commits]") {
  git::Library library;
  History h;
  const std::string& base = h.base;
  std::string b = h.commit("b.txt", "b\n");
  std::string c = h.commit("c.txt", "c\n");

  CHECK(hex(git::commits_in_range(h.repo.get(), base + "..HEAD").value()) == std::vector<std::string>{b, c});
  CHECK(hex(git::commits_in_range(h.repo.get(), "HEAD~1").value()) == std::vector<std::string>{b});
  auto bad = git::commits_in_range(h.repo.get(), "nosuch..HEAD");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::usage);
  CHECK_THAT(bad.error().message, Catch::Contains("nosuch"));
  CHECK_FALSE(git::commits_in_range(h.repo.get(), "HEAD..HEAD", 1).value().size());
  CHECK_FALSE(git::commits_in_range(h.repo.get(), base + "..HEAD", 1));
}
