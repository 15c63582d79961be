#include <catch2/catch.hpp>

#include "core/git/ref_update.hpp"

using namespace pushgate;

namespace {
const std::string zero40(40, '0');
const std::string zero64(64, '0');
const std::string a40(40, 'a');
const std::string b40(40, 'b');
const std::string a64(64, 'a');
}  // namespace

TEST_CASE("parse_ref_updates reads git's hook input") {
  SECTION("creation, update and deletion in one push") {
    auto u = parse_ref_updates(zero40 + " " + a40 + " refs/heads/new\n" + a40 + " " + b40 +
                               " refs/heads/main\n" + b40 + " " + zero40 + " refs/tags/v1\n");
    REQUIRE(u);
    REQUIRE(u->size() == 3);
    CHECK((*u)[0].change() == RefChange::create);
    CHECK((*u)[0].branch() == "new");
    CHECK((*u)[1].change() == RefChange::update);
    CHECK((*u)[2].change() == RefChange::remove);
    CHECK((*u)[2].is_tag());
    CHECK_FALSE((*u)[2].is_branch());
  }
  SECTION("SHA-256 object ids") {
    auto u = parse_ref_updates(zero64 + " " + a64 + " refs/heads/main\n");
    REQUIRE(u);
    CHECK((*u)[0].change() == RefChange::create);
  }
  SECTION("blank lines and CRLF are tolerated") {
    auto u = parse_ref_updates("\n" + a40 + " " + b40 + " refs/heads/main\r\n\n");
    REQUIRE(u);
    CHECK(u->size() == 1);
    CHECK((*u)[0].ref == "refs/heads/main");
  }
  SECTION("ref names with spaces are kept whole") {
    auto u = parse_ref_updates(a40 + " " + b40 + " refs/heads/odd name\n");
    REQUIRE(u);
    CHECK((*u)[0].ref == "refs/heads/odd name");
  }
  SECTION("malformed input names the line") {
    auto bad = parse_ref_updates(a40 + " " + b40 + " refs/heads/main\nnot a line\n");
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message, Catch::Contains("line 2"));
    CHECK_FALSE(parse_ref_updates(a40 + " " + a64 + " refs/heads/x\n"));
    CHECK_FALSE(parse_ref_updates(zero40 + " " + zero40 + " refs/heads/x\n"));
    CHECK_FALSE(parse_ref_updates(a40 + " " + b40 + " main\n"));
    CHECK_FALSE(parse_ref_updates(std::string(40, 'g') + " " + b40 + " refs/heads/x\n"));
  }
}

TEST_CASE("is_zero_oid accepts both hash lengths only") {
  CHECK(is_zero_oid(zero40));
  CHECK(is_zero_oid(zero64));
  CHECK_FALSE(is_zero_oid(std::string(39, '0')));
  CHECK_FALSE(is_zero_oid(a40));
}
