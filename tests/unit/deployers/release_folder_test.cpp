#include "deployers/release_folder.hpp"

#include "tests/unit/deployers/deploy_fixture.hpp"

using namespace pushgate;
using namespace pushgate::test;

TEST_CASE("parse_release_name reads the release ids the daemon makes") {
  auto name = parse_release_name("20260101T120000Z-0123456789ab-j17-r2-a3");
  REQUIRE(name);
  CHECK(name->stamp == "20260101T120000Z");
  CHECK(name->commit == "0123456789ab");
  CHECK(name->job == 17);
  CHECK(name->run == 2);
  CHECK(name->attempt == 3);
  CHECK(parse_release_name("20260101T120000Z-0123456789ab-j17-a2")->attempt == 2);
  for (const char* bad : {"current", ".20260101T120000Z-0123456789ab-j1.partial", "20260101T120000Z-0123456789ab",
                          "20260101T120000Z-0123456789ab-j", "20260101T120000Z-0123456789ab-j1-a2-r3",
                          "2026010XT120000Z-0123456789ab-j1", "20260101T120000Z-0123456789-j1",
                          "20260101T120000Z-0123456789ab-j1-x"})
    CHECK_FALSE(parse_release_name(bad));
}

TEST_CASE("ReleaseFolder lists releases newest first and ignores other folders") {
  TempDir dir;
  ReleaseFolder folder(dir.path());
  REQUIRE(folder.prepare());
  for (const char* id : {"20260101T000000Z-aaaaaaaaaaaa-j9", "20260101T000000Z-bbbbbbbbbbbb-j10",
                         "20260101T000000Z-bbbbbbbbbbbb-j10-a2", "20251231T235959Z-cccccccccccc-j11"}) {
    fs::create_directories(folder.partial_path(id));
    REQUIRE(folder.complete(id, std::string(id).substr(17, 12) + "0000000000000000000000000000"));
  }
  fs::create_directories(dir / "releases" / "notes-by-admin");
  std::vector<std::string> ids;
  for (const auto& r : folder.releases()) ids.push_back(r.id);
  CHECK(ids == std::vector<std::string>{"20260101T000000Z-bbbbbbbbbbbb-j10-a2",
                                        "20260101T000000Z-bbbbbbbbbbbb-j10", "20260101T000000Z-aaaaaaaaaaaa-j9",
                                        "20251231T235959Z-cccccccccccc-j11"});
  CHECK(folder.releases()[0].commit == "bbbbbbbbbbbb0000000000000000000000000000");
  CHECK_FALSE(folder.live());
  REQUIRE(folder.switch_to("20260101T000000Z-aaaaaaaaaaaa-j9"));
  CHECK(folder.live()->id == "20260101T000000Z-aaaaaaaaaaaa-j9");
  CHECK_FALSE(folder.remove("20260101T000000Z-aaaaaaaaaaaa-j9"));  // the live one stays
  // Keep 1: the newest, the live one and the one before it.
  CHECK(folder.prune(1) == std::vector<std::string>{"20260101T000000Z-bbbbbbbbbbbb-j10"});
  CHECK(fs::exists(dir / "releases" / "notes-by-admin"));
  REQUIRE(folder.clear_live());
  CHECK_FALSE(folder.live());
}
