#include <catch2/catch.hpp>

#include "core/git/git.hpp"
#include "core/jobs/manual_job.hpp"
#include "tests/unit/deployers/deploy_fixture.hpp"

using namespace pushgate;
using pushgate::test::TestRepo;

namespace {

void set_ref(TestRepo& repo, const std::string& name, const std::string& commit) {
  git_oid oid = *git::parse_oid(commit);
  git_reference* raw = nullptr;
  git::check(git_reference_create(&raw, repo.get(), name.c_str(), &oid, 1, "test"), "ref");
  git_reference_free(raw);
}

}  // namespace

TEST_CASE("resolve_commit_unambiguously refuses a short name that is a branch and a tag") {
  TestRepo repo;
  std::string branch_commit = repo.commit(repo.files({{"a", "1"}}), "on the branch");
  std::string tag_commit = repo.commit(repo.files({{"a", "2"}}), "tagged");
  set_ref(repo, "refs/heads/main", branch_commit);
  set_ref(repo, "refs/tags/main", tag_commit);
  set_ref(repo, "refs/tags/v1", tag_commit);

  auto ambiguous = resolve_commit_unambiguously(repo.get(), "main");
  REQUIRE_FALSE(ambiguous);
  CHECK(ambiguous.error().code == ErrorCode::usage);
  CHECK_THAT(ambiguous.error().message, Catch::Contains("refs/heads/main") && Catch::Contains("refs/tags/main"));

  CHECK(resolve_commit_unambiguously(repo.get(), "refs/heads/main").value() == branch_commit);
  CHECK(resolve_commit_unambiguously(repo.get(), "refs/tags/main").value() == tag_commit);
  CHECK(resolve_commit_unambiguously(repo.get(), "v1").value() == tag_commit);
  CHECK(resolve_commit_unambiguously(repo.get(), branch_commit).value() == branch_commit);
  CHECK(resolve_commit_unambiguously(repo.get(), branch_commit.substr(0, 10)).value() == branch_commit);
  CHECK_FALSE(resolve_commit_unambiguously(repo.get(), "nope"));
}

TEST_CASE("check_deployable accepts the environment's branch and tags only") {
  TestRepo repo;
  std::string on_main = repo.commit(repo.files({{"a", "1"}}));
  std::string on_other = repo.commit(repo.files({{"a", "2"}}));
  std::string tagged = repo.commit(repo.files({{"a", "3"}}));
  std::string loose = repo.commit(repo.files({{"a", "4"}}));
  set_ref(repo, "refs/heads/main", on_main);
  set_ref(repo, "refs/heads/other", on_other);
  set_ref(repo, "refs/tags/v1", tagged);

  CHECK(check_deployable(repo.get(), on_main, "main"));
  CHECK(check_deployable(repo.get(), tagged, "main"));
  CHECK_FALSE(check_deployable(repo.get(), on_other, "main"));
  auto refused = check_deployable(repo.get(), loose, "main");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("not on branch main or any tag"));
}
