#include "validators/secrets/secret_scan.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "core/git/new_commits.hpp"
#include "tests/unit/support/git_work_tree.hpp"
#include "tests/unit/validators/secrets/fake_secrets.hpp"

using namespace pushgate;
using namespace pushgate::secrets;

namespace {

SecretReport scan_range(test::GitWorkTree& w, const std::string& range, const ValidateSettings& settings = {}) {
  SecretCheck check(settings, nullptr);
  auto commits = git::commits_in_range(w.repo.get(), range).value();
  return scan_commits(w.repo.get(), commits, check).value();
}

std::string short_id(const std::string& hex) { return hex.substr(0, 10); }

}  // namespace

TEST_CASE("a secret added in one commit and deleted in the next is found in the first", "[secrets][git]") {
  git::Library library;
  test::GitWorkTree w;
  std::string added = w.commit("config/app.env", "REGION=eu\nKEY=" + test::fake_aws_key_id() + "\n");
  w.commit("config/app.env", "REGION=eu\n");
  SecretReport r = scan_range(w, w.base + "..HEAD");
  CHECK(r.commits == 2);
  REQUIRE(r.findings.size() == 1);
  CHECK(format_finding(r.findings[0])
            .starts_with("config/app.env:2:5: error: [secrets.aws-access-key] AWS access key id AKIA**** in commit " +
                         short_id(added)));
}

TEST_CASE("a commit is judged by the lines it adds, not the whole file", "[secrets][git]") {
  git::Library library;
  test::GitWorkTree w;
  std::string jwt = test::fake_jwt();
  w.commit("a.txt", "one\ntoken " + jwt + "\nthree\n");
  std::string second = w.commit("a.txt", "one\ntoken " + jwt + "\nthree\nfour\n");
  CHECK(scan_range(w, second).findings.empty());
  SECTION("a file moved without a change adds nothing") {
    w.git("mv a.txt b.txt");
    w.git("commit -qm move");
    CHECK(scan_range(w, "HEAD").findings.empty());
  }
  SECTION("a copy adds every line") {
    std::string copy = w.commit("c.txt", "one\ntoken " + jwt + "\n");
    SecretReport r = scan_range(w, copy);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].where.path == "c.txt");
  }
}

TEST_CASE("a merge is blamed only for lines new against every parent", "[secrets][git]") {
  git::Library library;
  test::GitWorkTree w;
  w.git("checkout -q -b side");
  std::string side = w.commit("side.txt", "key " + test::fake_aws_key_id() + "\n");
  w.git("checkout -q main");
  w.commit("main.txt", "main\n");
  w.git("merge -q --no-edit side");
  CHECK(scan_range(w, "HEAD").findings.empty());
  SecretReport all = scan_range(w, w.base + "..HEAD");
  REQUIRE(all.findings.size() == 1);
  CHECK_THAT(all.findings[0].message, Catch::Contains(short_id(side)));
}

TEST_CASE("binary files and large files are not read as text", "[secrets][git]") {
  git::Library library;
  test::GitWorkTree w;
  std::string id = w.commit("img.bin", std::string("\x89PNG\0\0", 6) + test::fake_aws_key_id());
  SecretReport r = scan_range(w, id);
  CHECK(r.findings.empty());
  REQUIRE(r.skipped.size() == 1);
  CHECK_THAT(r.skipped[0], Catch::StartsWith("img.bin in commit " + short_id(id)));

  ValidateSettings small;
  small.secrets.file_size = 8;
  std::string big = w.commit("big.txt", "key " + test::fake_aws_key_id() + "\n");
  SecretReport s = scan_range(w, big, small);
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0].rule == "secrets.file-size");
  CHECK(s.findings[0].severity == Severity::warning);
}

TEST_CASE("a commit deep in a large tree is judged by the files it changes there", "[secrets][git]") {
  git::Library library;
  test::GitWorkTree w;
  for (int i = 0; i < 30; ++i) test::spit(w.dir / fmt::format("team-{}/group/app-{}.yaml", i % 3, i), "a: 1\n");
  w.commit("team-1/group/deep/er/still/app.yaml", "name: app\n");
  std::string key = test::fake_aws_key_id();
  std::string edit = w.commit("team-1/group/deep/er/still/app.yaml", "name: app\nkey: " + key + "\n");
  SecretReport r = scan_range(w, edit);
  CHECK(r.files == 1);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].where.path == "team-1/group/deep/er/still/app.yaml");
  CHECK(r.findings[0].where.line == 2);
  SECTION("a file moved out of a folder that is gone adds nothing") {
    w.git("mv team-1/group/deep/er/still/app.yaml team-2/app.yaml");
    w.git("commit -qm move");
    REQUIRE(w.git("ls-tree HEAD team-1/group/deep").empty());
    SecretReport moved = scan_range(w, "HEAD");
    CHECK(moved.files == 0);
    CHECK(moved.findings.empty());
  }
  SECTION("a file that becomes a folder adds what the folder holds") {
    w.git("rm -q team-0/group/app-0.yaml");
    std::string folder = w.commit("team-0/group/app-0.yaml/inner.env", "KEY=" + key + "\n");
    SecretReport became = scan_range(w, folder);
    REQUIRE(became.findings.size() == 1);
    CHECK(became.findings[0].where.path == "team-0/group/app-0.yaml/inner.env");
  }
}
