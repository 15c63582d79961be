#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "core/util/shared_text.hpp"

using pushgate::SharedText;

TEST_CASE("SharedText holds a copy of its text, shared by its copies") {
  std::string path = "deploy/web.yaml";
  SharedText a(path);
  path.assign("changed");
  CHECK(a == "deploy/web.yaml");
  CHECK(a.size() == 15);
  SharedText b = a;
  CHECK(b.same(a));
  CHECK(b == a);
  SharedText c(std::string("deploy/web.yaml"));
  CHECK_FALSE(c.same(a));  // equal, but a block of its own
  CHECK(c == a);
  SharedText moved = std::move(b);
  CHECK(moved.same(a));
  CHECK(b.empty());  // a moved-from text holds none
  a = SharedText("other.yaml");
  CHECK(moved == "deploy/web.yaml");  // outlives the text it was copied from
}

TEST_CASE("SharedText orders and compares as its text") {
  CHECK(SharedText("a.yaml") < std::string_view("b.yaml"));
  CHECK(SharedText("b.yaml") > SharedText("a/b.yaml"));
  CHECK(SharedText() == "");
  CHECK(SharedText("").empty());
  CHECK(SharedText("x").starts_with('x'));
}
