#include <catch2/catch.hpp>

#include "daemon/release_id.hpp"

using namespace pushgate::daemon;

TEST_CASE("Release ids sort by time and name the commit and job") {
  auto when = std::chrono::system_clock::from_time_t(1'795'000'000);  // 2026-11-18T11:06:40Z
  const std::string commit = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
  CHECK(make_release_id(when, commit, 17, "") == "20261118T110640Z-1a2b3c4d5e6f-j17");
  CHECK(make_release_id(when + std::chrono::seconds(1), commit, 3, "") >
        make_release_id(when, commit, 17, ""));

  SECTION("retries and re-runs after a crash get names of their own") {
    CHECK(release_suffix(1, 0).empty());
    CHECK(release_suffix(2, 0) == "-a2");
    CHECK(release_suffix(1, 1) == "-r1");
    CHECK(release_suffix(3, 2) == "-r2-a3");
    CHECK(make_release_id(when, commit, 17, release_suffix(2, 1)) == "20261118T110640Z-1a2b3c4d5e6f-j17-r1-a2");
  }
}
