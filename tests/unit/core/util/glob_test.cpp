#include <catch2/catch.hpp>

#include "core/util/glob.hpp"

using pushgate::Glob;
using pushgate::PathFilter;

TEST_CASE("Glob matches paths like an administrator expects") {
  SECTION("** spans zero or more folders") {
    Glob g("**/*.yaml");
    CHECK(g.matches("web.yaml"));
    CHECK(g.matches("deploy/web.yaml"));
    CHECK(g.matches("a/b/c/web.yaml"));
    CHECK_FALSE(g.matches("web.yml"));
    CHECK_FALSE(g.matches("web.yaml.bak"));
  }
  SECTION("* and ? stay within one segment") {
    CHECK(Glob("deploy/*.yaml").matches("deploy/web.yaml"));
    CHECK_FALSE(Glob("deploy/*.yaml").matches("deploy/prod/web.yaml"));
    CHECK(Glob("v?/x").matches("v1/x"));
    CHECK_FALSE(Glob("v?/x").matches("v10/x"));
  }
  SECTION("** in the middle") {
    Glob g("deploy/**/secrets/*");
    CHECK(g.matches("deploy/secrets/a"));
    CHECK(g.matches("deploy/prod/eu/secrets/a"));
    CHECK_FALSE(g.matches("other/secrets/a"));
  }
  SECTION("character classes") {
    CHECK(Glob("[a-c]x").matches("bx"));
    CHECK_FALSE(Glob("[a-c]x").matches("dx"));
    CHECK(Glob("[!a]x").matches("bx"));
    CHECK_FALSE(Glob("[!a]x").matches("ax"));
  }
  SECTION("hostile paths stay fast and correct") {
    std::string path(5000, 'a');
    CHECK_FALSE(Glob("*a*a*a*a*a*b").matches(path));
    std::string deep;
    for (int i = 0; i < 2000; ++i) deep += "d/";
    CHECK(Glob("**/**/**/*.yaml").matches(deep + "x.yaml"));
  }
}

TEST_CASE("PathFilter applies excludes after includes") {
  PathFilter f({"**/*.yaml", "**/*.json"}, {"vendor/**", "**/*.secret.yaml"});
  CHECK(f.selects("deploy/web.yaml"));
  CHECK(f.selects("x.json"));
  CHECK_FALSE(f.selects("vendor/lib/x.yaml"));
  CHECK_FALSE(f.selects("deploy/db.secret.yaml"));
  CHECK_FALSE(f.selects("README.md"));
}
