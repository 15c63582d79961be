#include <catch2/catch.hpp>

#include "core/records/deploy_status.hpp"

using namespace pushgate;

namespace {

const std::string c1(40, '1');
const std::string c2(40, '2');
const std::string c3(40, '3');

CommitRecord rec(const std::string& commit, const std::string& line) {
  auto r = parse_record(line);
  REQUIRE(r);
  return {commit, *r};
}

}  // namespace

TEST_CASE("live_from_history names what the newest effective record made live") {
  std::vector<CommitRecord> history{
      rec(c1, "2026-11-26T07:00:00Z env=production status=succeeded job=1 pusher=alice release=r1"),
      rec(c2, "2026-11-26T07:10:00Z env=production status=succeeded job=2 pusher=bob release=r2"),
  };
  auto live = live_from_history(history);
  REQUIRE(live);
  CHECK(live->commit == c2);
  CHECK(live->release == "r2");
  CHECK(live->since == "2026-11-26T07:10:00Z");
  CHECK(live->by == "bob");
  CHECK(live->job == "2");

  SECTION("failed, superseded and interrupted attempts change nothing") {
    history.push_back(rec(c3, "2026-11-26T07:20:00Z env=production status=interrupted job=3"));
    history.push_back(rec(c3, "2026-11-26T07:21:00Z env=production status=failed job=3"));
    history.push_back(rec(c1, "2026-11-26T07:22:00Z env=production status=superseded job=4"));
    REQUIRE(live_from_history(history));
    CHECK(live_from_history(history)->commit == c2);
  }
  SECTION("a rollback makes the release it names live again") {
    history.push_back(rec(c2, "2026-11-26T07:30:00Z env=production status=rolled-back job=5 pusher=carol "
                              "live=111111111111 previous=222222222222"));
    auto back = live_from_history(history);
    REQUIRE(back);
    CHECK(back->commit == c1);     // expanded from the short id
    CHECK(back->release == "r1");  // from the deploy that made it
    CHECK(back->by == "carol");
    CHECK(back->since == "2026-11-26T07:30:00Z");
  }
  SECTION("a heal makes a new release of the live commit live; drifted changes nothing") {
    history.push_back(rec(c2, "2026-11-26T07:30:00Z env=production status=drifted kind=drift changed=1"));
    CHECK(live_from_history(history)->release == "r2");
    history.push_back(rec(c2, "2026-11-26T07:30:01Z env=production status=healed kind=drift pusher=pushgated "
                              "release=r2h"));
    CHECK(live_from_history(history)->commit == c2);
    CHECK(live_from_history(history)->release == "r2h");
  }
  SECTION("a rollback with nothing left live leaves nothing live") {
    history.push_back(rec(c2, "2026-11-26T07:30:00Z env=production status=rolled-back job=5"));
    CHECK_FALSE(live_from_history(history));
  }
}

TEST_CASE("release_before_live goes back one successful release at a time") {
  const std::string c4(40, '4');
  std::vector<CommitRecord> history{
      rec(c1, "2026-11-26T07:00:00Z env=production status=succeeded job=1 release=r1"),
      rec(c2, "2026-11-26T07:10:00Z env=production status=succeeded job=2 release=r2"),
      rec(c4, "2026-11-26T07:15:00Z env=production status=rolled-back job=3 release=r3 live=222222222222"),
      rec(c3, "2026-11-26T07:20:00Z env=production status=succeeded job=4 release=r4"),
  };
  auto before = [&](const std::string& commit, const std::string& release) {
    auto found = release_before_live(history, commit, release);
    return found ? found->commit : std::string("none");
  };
  CHECK(before(c3, "r4") == c2);
  SECTION("a second rollback goes further back, not forth again") {
    history.push_back(rec(c3, "2026-11-26T07:30:00Z env=production status=rolled-back job=5 live=222222222222"));
    CHECK(before(c2, "r2") == c1);
    CHECK(before(c1, "r1") == "none");
  }
  SECTION("a commit deployed twice is placed by its live release") {
    history.push_back(rec(c1, "2026-11-26T07:40:00Z env=production status=succeeded job=6 release=r6"));
    CHECK(before(c1, "r6") == c3);
    CHECK(before(c1, "r1") == "none");
  }
  SECTION("a release the notes do not name is placed by its commit's newest success") {
    CHECK(before(c2, "r9-made-again") == c1);
    CHECK(before(c2, "") == c1);
  }
  SECTION("a live commit with no success at all falls back to the newest success") {
    CHECK(before(c4, "r3") == c3);
  }
  SECTION("failed, rolled-back and interrupted attempts are never targets") {
    history.insert(history.begin() + 1,
                   rec(c4, "2026-11-26T07:05:00Z env=production status=failed job=7 release=r7"));
    CHECK(before(c2, "r2") == c1);
  }
  CHECK_FALSE(release_before_live({}, c1, "r1"));
}

TEST_CASE("last_attempt skips superseded records, which have no log") {
  std::vector<CommitRecord> history{
      rec(c1, "2026-11-26T07:00:00Z env=production status=failed job=1"),
      rec(c2, "2026-11-26T07:10:00Z env=production status=superseded job=2"),
  };
  auto last = last_attempt(history);
  REQUIRE(last);
  CHECK(last->commit == c1);
  CHECK_FALSE(last_attempt({}));
  CHECK_FALSE(live_from_history({}));
}

TEST_CASE("repo_identity gives one name for one repository however it is spelled") {
  auto here = std::filesystem::current_path();
  CHECK(repo_identity(".") == here.string());
  CHECK(repo_identity(here.string() + "/") == here.string());
  CHECK(repo_identity(here.string() + "/./") == here.string());
}
