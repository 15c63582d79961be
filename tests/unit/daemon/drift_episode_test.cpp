#include "daemon/drift_episode.hpp"

#include <catch2/catch.hpp>

using namespace pushgate;
using namespace pushgate::daemon;

namespace {

CommitRecord record(const char* timestamp, DeployStatus status) {
  return {"c0ffee", {timestamp, "prod", status, {}}};
}

}  // namespace

TEST_CASE("DriftEpisodes: one record per episode", "[drift]") {
  DriftEpisodes episodes;
  std::vector<CommitRecord> history{record("2026-12-07T10:00:00Z", DeployStatus::succeeded)};
  CHECK_FALSE(episodes.open("/git/a.git", "prod", history));

  history.push_back(record("2026-12-07T10:05:00Z", DeployStatus::drifted));
  CHECK(episodes.open("/git/a.git", "prod", history));
  SECTION("a failed heal, or one rolled back, leaves it open; a rollback job ends it") {
    history.push_back(record("2026-12-07T10:05:01Z", DeployStatus::failed));
    CHECK(episodes.open("/git/a.git", "prod", history));
    history.push_back(record("2026-12-07T10:05:02Z", DeployStatus::rolled_back));
    history.back().record.fields = {{"kind", "drift"}};
    CHECK(episodes.open("/git/a.git", "prod", history));
    history.back().record.fields = {{"kind", "rollback"}};
    CHECK_FALSE(episodes.open("/git/a.git", "prod", history));
  }
  SECTION("a heal or a deploy ends it") {
    history.push_back(record("2026-12-07T10:05:01Z", DeployStatus::healed));
    CHECK_FALSE(episodes.open("/git/a.git", "prod", history));
  }
  SECTION("a clean check ends it; drift after that opens a new one") {
    episodes.clean("/git/a.git", "prod", history);
    CHECK_FALSE(episodes.open("/git/a.git", "prod", history));
    CHECK(episodes.open("/git/a.git", "stage", history));
    history.push_back(record("2026-12-07T10:09:00Z", DeployStatus::drifted));
    CHECK(episodes.open("/git/a.git", "prod", history));
  }
}
