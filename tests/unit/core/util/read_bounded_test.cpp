#include "core/util/read_bounded.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;

TEST_CASE("read_bounded reads a file up to a limit, and only sizes one over it", "[util]") {
  test::TempDir dir;
  test::spit(dir / "ten", "0123456789");

  SECTION("at or under the limit: the bytes and their count") {
    auto got = read_bounded((dir / "ten").string(), 10);
    REQUIRE(got);
    CHECK(got->size == 10);
    CHECK(got->bytes == "0123456789");
  }
  SECTION("over the limit: the size alone") {
    auto got = read_bounded((dir / "ten").string(), 9);
    REQUIRE(got);
    CHECK(got->size == 10);
    CHECK_FALSE(got->bytes);
  }
  SECTION("an empty file") {
    test::spit(dir / "empty", "");
    auto got = read_bounded((dir / "empty").string(), 0);
    REQUIRE(got);
    CHECK(got->size == 0);
    CHECK(got->bytes == "");
  }
  SECTION("through a symbolic link") {
    std::filesystem::create_symlink("ten", dir / "link");
    CHECK(read_bounded((dir / "link").string(), 100)->bytes == "0123456789");
  }
  SECTION("a file that cannot be opened: an error naming it and why") {
    auto got = read_bounded((dir / "missing").string(), 100);
    REQUIRE_FALSE(got);
    CHECK(got.error().code == ErrorCode::io);
    CHECK_THAT(got.error().message, Catch::Contains("missing") && Catch::Contains("No such file"));
  }
  SECTION("a file that reports no size is read to its end, and not past the limit") {
    auto whole = read_bounded("/proc/self/status", 1 << 20);
    REQUIRE(whole);
    CHECK_THAT(*whole->bytes, Catch::StartsWith("Name:"));
    CHECK(whole->size == whole->bytes->size());
    auto cut = read_bounded("/proc/self/status", 20);
    REQUIRE(cut);
    CHECK_FALSE(cut->bytes);
    CHECK(cut->size == 21);
  }
}
