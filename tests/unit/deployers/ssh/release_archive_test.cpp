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
  ReleaseContent release = scan_release(repo.get(), commit, "").value();
  Manifest all = manifest_of_tree(repo.get(), release.tree).value();
  auto size = write_release_archive(repo.get(), release, all, tmp / "a.tar");
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
    auto none = write_release_archive(repo.get(), release, {}, tmp / "none.tar");
    REQUIRE(none.has_value());
    CHECK(none->archive == 1024);
    CHECK(std::system(fmt::format("tar -t -f {} >/dev/null", LoopbackSshd::quote((tmp / "none.tar").string())).c_str()) == 0);
  }
}

TEST_CASE("write_release_archive refuses names that leave the release, and leaves no archive") {
  TestRepo repo;
  ReleaseContent release = scan_release(repo.get(), repo.commit(repo.files({{"a", "a\n"}})), "").value();
  TempDir tmp;
  for (std::string bad : {"/etc/passwd", "../up", "a/../../up", "a//b", "./a", ""}) {
    CAPTURE(bad);
    auto size = write_release_archive(repo.get(), release, {{0100644, "1", "a"}, {0100644, "2", bad}}, tmp / "bad.tar");
    REQUIRE_FALSE(size.has_value());
    CHECK(size.error().code == ErrorCode::input);
    CHECK_FALSE(fs::exists(tmp / "bad.tar"));
  }
  SECTION("an entry the release does not hold, or not of that kind") {
    for (ManifestEntry entry : {ManifestEntry{0100644, "1", "missing"}, ManifestEntry{0120000, "1", "a"}}) {
      auto size = write_release_archive(repo.get(), release, {entry}, tmp / "m.tar");
      REQUIRE_FALSE(size.has_value());
      CHECK_THAT(size.error().message, Catch::Contains("'" + entry.path + "' is not in release"));
      CHECK_FALSE(fs::exists(tmp / "m.tar"));
    }
  }
}

namespace {

// Everything `input` gives, read `piece` bytes at a time; the Error's message when it fails.
std::string read_all(CommandInput& input, std::size_t piece = 100'000) {
  std::string out, buffer(piece, '\0');
  for (;;) {
    auto n = input.read(buffer.data(), buffer.size());
    if (!n) return "error: " + n.error().message;
    if (*n == 0) return out;
    out.append(buffer.data(), *n);
  }
}

}  // namespace

TEST_CASE("GrowingArchive gives every reader the archive write_release_archive writes") {
  TestRepo repo;
  std::string commit = repo.commit(repo.files({{"a.yaml", "a: 1\n"},
                                               {"big/blob.bin", std::string(3'000'000, 'b')},
                                               {"@link", "a.yaml"},
                                               {"z.txt", "z\n"}}));
  ReleaseContent release = scan_release(repo.get(), commit, "").value();
  Manifest all = manifest_of_tree(repo.get(), release.tree).value();
  TempDir tmp;
  REQUIRE(write_release_archive(repo.get(), release, all, tmp / "whole.tar").has_value());

  auto archive = GrowingArchive::start(git::git_dir(repo.get()), release, all, tmp / "grown.tar");
  REQUIRE(archive.has_value());
  auto first = (*archive)->reader(), second = (*archive)->reader();
  std::string got = read_all(*first);
  CHECK(got == slurp(tmp / "whole.tar"));
  CHECK(read_all(*second, 4096) == got);
  auto size = (*archive)->size();
  REQUIRE(size.has_value());
  CHECK(size->archive == got.size());
  CHECK(size->content == 5 + 3'000'000 + 2);

  SECTION("a reader gets the writer's error, and so does size()") {
    auto failing = GrowingArchive::start(git::git_dir(repo.get()), release, {{0100644, "1", "missing"}}, tmp / "f.tar");
    REQUIRE(failing.has_value());
    CHECK_THAT(read_all(*(*failing)->reader()), Catch::StartsWith("error: ") && Catch::Contains("'missing'"));
    CHECK_FALSE((*failing)->size().has_value());
  }
}
