#include <catch2/catch.hpp>

#include "core/util/quantity.hpp"

using namespace std::chrono_literals;

TEST_CASE("parse_size reads binary and decimal units") {
  CHECK(pushgate::parse_size("1MiB") == 1048576u);
  CHECK(pushgate::parse_size("512KiB") == 524288u);
  CHECK(pushgate::parse_size("2MB") == 2000000u);
  CHECK(pushgate::parse_size("4096") == 4096u);
  CHECK(pushgate::parse_size("1.5KiB") == 1536u);
  CHECK_FALSE(pushgate::parse_size("1 parsec"));
  CHECK_FALSE(pushgate::parse_size("MiB"));
  CHECK_FALSE(pushgate::parse_size("-1MiB"));
}

TEST_CASE("parse_duration reads ms, s, m and h") {
  CHECK(pushgate::parse_duration("10s") == 10s);
  CHECK(pushgate::parse_duration("500ms") == 500ms);
  CHECK(pushgate::parse_duration("5m") == 5min);
  CHECK(pushgate::parse_duration("1h") == 1h);
  CHECK(pushgate::parse_duration("3") == 3s);
  CHECK_FALSE(pushgate::parse_duration("soon"));
  CHECK_FALSE(pushgate::parse_duration("10 fortnights"));
}
