#include <catch2/catch.hpp>

#include "core/config/hook_settings.hpp"

using namespace pushgate;

TEST_CASE("format_hook_settings writes what parse_hook_settings reads back") {
  HookSettings settings{"/opt/it's here/pushgate-post-receive", "/etc/pushgate/pushgated.yaml", "GL_USER"};
  std::string block = format_hook_settings(settings);
  CHECK(block ==
        "program='/opt/it'\\''s here/pushgate-post-receive'\n"
        "daemon_config='/etc/pushgate/pushgated.yaml'\n"
        "identity_from='GL_USER'\n");
  auto parsed = parse_hook_settings("#!/usr/bin/x --hook-file\n# a comment\n" + block + "if true; then\n  x=1\nfi\n");
  REQUIRE(parsed);
  CHECK(parsed->program == settings.program);
  CHECK(parsed->daemon_config == settings.daemon_config);
  CHECK(parsed->identity_from == settings.identity_from);
}

TEST_CASE("format_hook_settings leaves out the settings that are not set") {
  CHECK(format_hook_settings({"/bin/p", "", ""}) == "program='/bin/p'\n");
}

TEST_CASE("parse_hook_settings reads only the block after the first line") {
  SECTION("a setting after the first other line is sh code, not a setting") {
    auto parsed = parse_hook_settings("#!/bin/sh\nprogram='/bin/p'\nexec x\nidentity_from='GL_USER'\n");
    REQUIRE(parsed);
    CHECK(parsed->identity_from.empty());
  }
  SECTION("the first line is never a setting") {
    auto parsed = parse_hook_settings("program='/bin/p'\n");
    REQUIRE(parsed);
    CHECK(parsed->program.empty());
  }
  SECTION("no block at all") {
    auto parsed = parse_hook_settings("#!/bin/sh\nexec /usr/bin/true\n");
    REQUIRE(parsed);
    CHECK(parsed->program.empty());
  }
}

TEST_CASE("parse_hook_settings refuses what it cannot read faithfully") {
  SECTION("an unknown setting: a newer pushgate's, which this one would ignore") {
    auto parsed = parse_hook_settings("#!/x\nprogram='/bin/p'\nrequire_signatures='yes'\n");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == ErrorCode::config);
    CHECK_THAT(parsed.error().message, Catch::Contains("require_signatures"));
  }
  SECTION("an unquoted value: sh would expand it") {
    REQUIRE_FALSE(parse_hook_settings("#!/x\nprogram=$HOME/p\n"));
  }
  SECTION("an unterminated quote") {
    REQUIRE_FALSE(parse_hook_settings("#!/x\nprogram='/bin/p\n"));
  }
  SECTION("an empty value") {
    REQUIRE_FALSE(parse_hook_settings("#!/x\nprogram=\n"));
  }
}
