#include "deployers/ssh/release_archive.hpp"

#include <fmt/format.h>

#include "deployers/release_tree.hpp"
#include "tests/unit/deployers/deploy_fixture.hpp"
#include "tests/unit/support/loopback_sshd.hpp"

using namespace pushgate;
using namespace pushgate::ssh;
using namespace pushgate::test;

TEST_CASE("write_release_archive writes what GNU tar extracts into the same release") {
  if (std::system("tar --version 2>/dev/null | grep -q 'GNU tar'") != 0) {
    WARN("skipped: no GNU tar here to extract the archive");
    return;
  }
  TestRepo repo;
  std::string long_name = std::string(90, 'l') + "/" + std::string(120, 'n') + ".yaml";
  std::string commit = repo.commit(repo.files({{"app.yaml", "a: 1\n"},
                                               {"bin/run*", "#!/bin/sh\n"},
                                               {"it's $(x)\nnew line", "odd\n"},
                                               {"caf\xc3\xa9 \xff.txt", "bytes\n"},
                                               {long_name, std::string(70'000, 'z')},
                                               {"@to-long", long_name},
                                               {"empty", ""}}));
  TempDir tmp;
  REQUIRE(materialize_tree(repo.get(), commit, "", tmp / "staged").has_value());
  std::string tree = tree_id_of(repo.get(), commit, "").value();
  Manifest all = manifest_of_tree(repo.get(), tree).value();
  auto size = write_release_archive(tmp / "staged", all, tmp / "a.tar");
  REQUIRE(size.has_value());
  CHECK(size->entries == all.size());
  CHECK(size->files == 7);
  CHECK(size->content == 5 + 10 + 4 + 6 + 70'000 + 0);
  CHECK(size->archive == fs::file_size(tmp / "a.tar"));
  CHECK(size->archive % 512 == 0);

  fs::create_directories(tmp / "out");
  std::string extract = fmt::format("tar -x -f {} -C {} --no-same-owner --no-same-permissions --touch --keep-old-files",
                                    LoopbackSshd::quote((tmp / "a.tar").string()),
                                    LoopbackSshd::quote((tmp / "out").string()));
  REQUIRE(std::system(extract.c_str()) == 0);
  CHECK(snapshot(tmp / "out") == snapshot(tmp / "staged"));
  CHECK(fs::read_symlink(tmp / "out/to-long") == fs::path(long_name));
  CHECK((fs::status(tmp / "out/bin/run").permissions() & fs::perms::owner_exec) != fs::perms::none);
  CHECK((fs::status(tmp / "out/app.yaml").permissions() & fs::perms::owner_exec) == fs::perms::none);

  SECTION("an archive of no entries is an empty archive") {
    auto none = write_release_archive(tmp / "staged", {}, tmp / "none.tar");
    REQUIRE(none.has_value());
    CHECK(none->archive == 1024);
    CHECK(std::system(fmt::format("tar -t -f {} >/dev/null", LoopbackSshd::quote((tmp / "none.tar").string())).c_str()) == 0);
  }
}

TEST_CASE("write_release_archive refuses names that leave the release, and leaves no archive") {
  TempDir tmp;
  fs::create_directories(tmp / "staged");
  spit(tmp / "staged/a", "a\n");
  for (std::string bad : {"/etc/passwd", "../up", "a/../../up", "a//b", "./a", ""}) {
    CAPTURE(bad);
    auto size = write_release_archive(tmp / "staged", {{0100644, "1", "a"}, {0100644, "2", bad}}, tmp / "bad.tar");
    REQUIRE_FALSE(size.has_value());
    CHECK(size.error().code == ErrorCode::input);
    CHECK_FALSE(fs::exists(tmp / "bad.tar"));
  }
  auto missing = write_release_archive(tmp / "staged", {{0100644, "1", "missing"}}, tmp / "m.tar");
  REQUIRE_FALSE(missing.has_value());
  CHECK_THAT(missing.error().message, Catch::Contains("missing"));
  CHECK_FALSE(fs::exists(tmp / "m.tar"));
}
