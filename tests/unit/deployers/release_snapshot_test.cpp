#include "deployers/release_snapshot.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using namespace pushgate::test;

TEST_CASE("snapshot_folder records every entry without following symlinks, and reads back", "[drift]") {
  TempDir dir;
  spit(dir / "r" / "a.yaml", "abc");
  spit(dir / "r" / "sub" / "b.yaml", "");
  std::filesystem::create_symlink("/etc", dir / "r" / "sub" / "link");
  Snapshot snapshot = snapshot_folder(dir / "r").value();
  REQUIRE(snapshot.size() == 4);
  CHECK(snapshot.at("a.yaml").type == 'f');
  CHECK(snapshot.at("a.yaml").size == 3);
  CHECK(snapshot.at("sub").type == 'd');
  CHECK(snapshot.at("sub/link").type == 'l');
  CHECK(snapshot.at("sub/link").size == 4);
  CHECK(parse_snapshot(serialize(snapshot)).value() == snapshot);
}

TEST_CASE("parse_snapshot reads find's output and refuses what could name a path outside", "[drift]") {
  using namespace std::string_literals;
  Snapshot parsed = parse_snapshot("f 644 12 1765100000.1234567890 deploy/app.yaml\0d 755 4096 1.0 deploy\0"s).value();
  CHECK(parsed.at("deploy/app.yaml") == SnapshotEntry{'f', 0644, 12, "1765100000.1234567890"});
  CHECK(parsed.at("deploy").mode == 0755);
  CHECK_FALSE(parse_snapshot("f 644 1 1.0 ../etc/passwd\0"s));
  CHECK_FALSE(parse_snapshot("f 644 1 1.0 /etc/passwd\0"s));
  CHECK_FALSE(parse_snapshot("f 644 1 1.0 a"s));  // cut off
  CHECK_FALSE(parse_snapshot("f 9x 1 1.0 a\0"s));
}
