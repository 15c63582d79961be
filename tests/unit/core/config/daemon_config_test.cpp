#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "core/config/daemon_config.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using namespace std::chrono_literals;
using pushgate::test::spit;
using pushgate::test::TempDir;

TEST_CASE("load_daemon_config reads every key") {
  TempDir tmp;
  spit(tmp / "conf/pushgated.yaml", "spool: /var/spool/pg\n"
                                    "state: lib/state\n"
                                    "socket: ../run/pg.sock\n"
                                    "workers: 8\n"
                                    "wait_limit: 2m\n");
  auto c = load_daemon_config(tmp / "conf/pushgated.yaml", ConfigTrust::for_daemon());
  REQUIRE(c);
  CHECK(c->spool == "/var/spool/pg");
  CHECK(c->state == tmp / "conf/lib/state");
  CHECK(c->socket == tmp / "run/pg.sock");
  CHECK(c->workers == 8);
  CHECK(c->wait_limit == 2min);
  CHECK(c->source == tmp / "conf/pushgated.yaml");
}

TEST_CASE("load_daemon_config puts everything next to a file outside /etc") {
  TempDir tmp;
  spit(tmp / "pushgated.yaml",
       GENERATE(std::string(""), std::string("# nothing set\n"), std::string("{}\n")));
  auto c = load_daemon_config(tmp / "pushgated.yaml", ConfigTrust::for_daemon());
  REQUIRE(c);
  CHECK(c->spool == tmp / "spool");
  CHECK(c->state == tmp / "state");
  CHECK(c->socket == tmp / "pushgated.sock");
  CHECK(c->workers == 4);
  CHECK(c->wait_limit == 10min);
}

TEST_CASE("load_daemon_config reports mistakes with file:line:col") {
  TempDir tmp;
  std::string file = (tmp / "pushgated.yaml").string();
  auto errors = [&](const std::string& text) {
    spit(file, text);
    auto c = load_daemon_config(file, ConfigTrust::for_daemon());
    REQUIRE_FALSE(c);
    CHECK(c.error().code == ErrorCode::config);
    return c.error().message;
  };
  CHECK_THAT(errors("spool: /s\nworker: 4\n"),
             Catch::Contains(file + ":2:1: error: [config] unknown key 'worker'"));
  CHECK_THAT(errors("workers: 0\n"), Catch::Contains(file + ":1:10:") && Catch::Contains("1 to 256"));
  CHECK_THAT(errors("workers: 257\n"), Catch::Contains("1 to 256"));
  CHECK_THAT(errors("workers: many\n"), Catch::Contains("workers"));
  CHECK_THAT(errors("wait_limit: forever\n"),
             Catch::Contains(file + ":1:13:") && Catch::Contains("duration"));
  CHECK_THAT(errors("spool: \"\"\n"), Catch::Contains("spool must name a path"));
  CHECK_THAT(errors("socket: [a, b]\n"), Catch::Contains("socket must be a string"));
  CHECK_THAT(errors("- spool\n"), Catch::Contains("mapping"));
  CHECK_THAT(errors("spool: /a\nspool: /b\n"), Catch::Contains(file + ":2:1:"));
}

TEST_CASE("load_daemon_config names a file it cannot read") {
  TempDir tmp;
  auto c = load_daemon_config(tmp / "missing.yaml", ConfigTrust::for_daemon());
  REQUIRE_FALSE(c);
  CHECK(c.error().code == ErrorCode::io);
  CHECK_THAT(c.error().message, Catch::Contains("missing.yaml"));
}

TEST_CASE("find_daemon_config: explicit file, then PUSHGATE_DAEMON_CONFIG, then the system file") {
  TempDir tmp;
  spit(tmp / "a/pushgated.yaml", "workers: 2\n");
  spit(tmp / "b/pushgated.yaml", "workers: 3\n");
  ::setenv("PUSHGATE_DAEMON_CONFIG", (tmp / "b/pushgated.yaml").c_str(), 1);
  auto explicit_file = find_daemon_config((tmp / "a/pushgated.yaml").string(), ConfigTrust::for_daemon());
  auto from_env = find_daemon_config("", ConfigTrust::for_daemon());
  ::unsetenv("PUSHGATE_DAEMON_CONFIG");
  REQUIRE(explicit_file);
  CHECK(explicit_file->workers == 2);
  REQUIRE(from_env);
  CHECK(from_env->workers == 3);
  CHECK(from_env->spool == tmp / "b/spool");

  if (!std::filesystem::exists(k_default_daemon_config)) {
    auto system = find_daemon_config("", ConfigTrust::for_daemon());
    REQUIRE(system);
    CHECK(system->source.empty());
    CHECK(system->spool == "/var/spool/pushgate");
    CHECK(system->state == "/var/lib/pushgate");
    CHECK(system->socket == "/run/pushgate/pushgated.sock");
  }
}

TEST_CASE("repositories: names the git directories pushgated serves, by path or glob") {
  TempDir tmp;
  spit(tmp / "pushgated.yaml", "repositories: [/srv/git/*.git, /srv/other/app.git/, repos/demo.git]\n");
  auto c = load_daemon_config(tmp / "pushgated.yaml", ConfigTrust::for_daemon());
  REQUIRE(c);
  CHECK(serves_repository(*c, "/srv/git/app.git"));
  CHECK(serves_repository(*c, "/srv/git/app.git/"));
  CHECK(serves_repository(*c, "/srv/other/app.git"));
  CHECK(serves_repository(*c, (tmp / "repos/demo.git").string()));
  CHECK_FALSE(serves_repository(*c, "/srv/git/sub/app.git"));
  CHECK_FALSE(serves_repository(*c, "/tmp/evil.git"));
  CHECK_FALSE(serves_repository(*c, "/srv/git/app.gitx"));

  spit(tmp / "none.yaml", "workers: 2\n");
  auto none = load_daemon_config(tmp / "none.yaml", ConfigTrust::for_daemon());
  REQUIRE(none);
  CHECK_FALSE(serves_repository(*none, "/srv/git/app.git"));

  spit(tmp / "bad.yaml", "repositories: ['']\n");
  auto bad = load_daemon_config(tmp / "bad.yaml", ConfigTrust::for_daemon());
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("bad.yaml:1:") != std::string::npos);
}

TEST_CASE("load_daemon_config refuses a pushgated.yaml that another account could have written") {
  TempDir tmp;
  spit(tmp / "pushgated.yaml", "workers: 2\n");
  SECTION("writable by its group") {
    REQUIRE(::chmod((tmp / "pushgated.yaml").c_str(), 0664) == 0);
    auto c = load_daemon_config(tmp / "pushgated.yaml", ConfigTrust::for_daemon());
    REQUIRE_FALSE(c);
    CHECK_THAT(c.error().message, Catch::Contains("pushgated.yaml") && Catch::Contains("chmod go-w"));
  }
  SECTION("owned by an account that is neither root, the caller nor the repository's owner") {
    if (::geteuid() != 0) return;  // only root can give a file away
    REQUIRE(::chown((tmp / "pushgated.yaml").c_str(), 54321, 54321) == 0);
    CHECK_FALSE(load_daemon_config(tmp / "pushgated.yaml", ConfigTrust::for_daemon()));
    CHECK(load_daemon_config(tmp / "pushgated.yaml", ConfigTrust{::geteuid(), 54321}));
  }
}

TEST_CASE("find_daemon_config for hooks does not read PUSHGATE_DAEMON_CONFIG") {
  TempDir tmp;
  spit(tmp / "b/pushgated.yaml", "workers: 3\n");
  ::setenv("PUSHGATE_DAEMON_CONFIG", (tmp / "b/pushgated.yaml").c_str(), 1);
  auto found = find_daemon_config("", ConfigTrust::for_daemon(), ConfigSearch::argument_system);
  ::unsetenv("PUSHGATE_DAEMON_CONFIG");
  if (found) CHECK(found->source != tmp / "b/pushgated.yaml");
}
