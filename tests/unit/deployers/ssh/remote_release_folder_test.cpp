#include "deployers/ssh/remote_release_folder.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include "deployers/release_tree.hpp"
#include "tests/unit/deployers/deploy_fixture.hpp"
#include "tests/unit/support/loopback_sshd.hpp"

using namespace pushgate;
using namespace pushgate::ssh;
using namespace pushgate::test;
using namespace std::chrono_literals;

namespace {

ino_t inode(const fs::path& p) {
  struct stat st {};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_ino;
}

// A commit staged as the SSH deployer stages it: written locally, with its manifest.
struct Staged {
  std::string commit;
  std::string id;
  fs::path dir;
  Manifest manifest;
  Staged(TestRepo& repo, const TempDir& tmp, const std::map<std::string, std::string>& files, int job)
      : commit(repo.commit(repo.files(files))),
        id(fmt::format("20260101T00000{}Z-{}-j{}", job, commit.substr(0, 12), job)),
        dir(tmp / id) {
    REQUIRE(materialize_tree(repo.get(), commit, "", dir).has_value());
    manifest = manifest_of(repo.get(), commit, "").value();
  }
};

}  // namespace

TEST_CASE("RemoteReleaseFolder writes releases on a host and sends only what changed") {
  const LoopbackSshd* sshd = shared_sshd();
  if (!sshd) return;
  TempDir scratch;
  auto c = Connection::open({"127.0.0.1", sshd->port(), current_user(), ""},
                            {sshd->client_key(), sshd->known_hosts(), 5s});
  REQUIRE(c.has_value());
  fs::path root = scratch.path() / "it's the app";
  RemoteReleaseFolder folder(*c, root.string(), 30s);
  TestRepo repo;
  TempDir staging;

  std::map<std::string, std::string> files{{"app.yaml", "version: 1\n"}, {"bin/run*", "#!/bin/sh\n"},
                                           {"@link", "app.yaml"}, {"docs/$(id).md", "x\n"}};
  Staged first(repo, staging, files, 1);
  files["app.yaml"] = "version: 2\n";
  files.erase("docs/$(id).md");
  files["new.txt"] = "new\n";
  Staged second(repo, staging, files, 2);

  REQUIRE(folder.prepare().has_value());
  CHECK_FALSE(folder.live().value().has_value());
  auto up1 = folder.write_release(first.id, first.commit, first.manifest, first.dir, std::nullopt);
  REQUIRE(up1.has_value());
  CHECK_FALSE(up1->reused_live);
  CHECK(up1->files_sent == 4);
  REQUIRE(folder.record_snapshot(first.id).has_value());
  REQUIRE(folder.switch_to(first.id).has_value());
  CHECK(fs::read_symlink(root / "current") == fs::path("releases") / first.id);
  CHECK(snapshot(root / "current") == snapshot(first.dir));
  CHECK((fs::status(root / "current/bin/run").permissions() & fs::perms::owner_exec) != fs::perms::none);
  auto live = folder.live().value();
  REQUIRE(live);
  CHECK(live->id == first.id);
  CHECK(live->commit == first.commit);

  SECTION("a live release that drifted from its snapshot is not reused") {
    spit(root / "releases" / first.id / "docs" / "by-hand.txt", "x\n");
    auto whole = folder.write_release(second.id, second.commit, second.manifest, second.dir, live);
    REQUIRE(whole.has_value());
    CHECK_FALSE(whole->reused_live);
    CHECK(whole->files_sent == 4);
    CHECK(snapshot(root / "releases" / second.id) == snapshot(second.dir));
    return;
  }
  CHECK(folder.snapshot(first.id).value() == folder.recorded_snapshot(first.id).value().value());
  auto up2 = folder.write_release(second.id, second.commit, second.manifest, second.dir, live);
  REQUIRE(up2.has_value());
  CHECK(up2->reused_live);
  CHECK(up2->files_sent == 2);  // app.yaml changed, new.txt added
  CHECK(up2->bytes_sent == std::string("version: 2\nnew\n").size());
  CHECK(up2->removed == 2);     // app.yaml replaced, docs/ gone
  CHECK(snapshot(root / "releases" / second.id) == snapshot(second.dir));
  // Unchanged files are the live release's own, linked; the live release is untouched.
  CHECK(inode(root / "releases" / second.id / "bin/run") == inode(root / "releases" / first.id / "bin/run"));
  CHECK(snapshot(root / "releases" / first.id) == snapshot(first.dir));

  REQUIRE(folder.switch_to(second.id).has_value());
  auto kept = folder.releases().value();
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].id == second.id);
  CHECK(kept[1].commit == first.commit);
  CHECK_FALSE(folder.remove(second.id).has_value());        // live
  CHECK(folder.prune(1).value().empty());                    // the one before live stays
  REQUIRE(folder.remove(first.id).has_value());
  CHECK_FALSE(fs::exists(root / "releases" / first.id));
  CHECK_FALSE(fs::exists(root / "releases" / ("." + first.id + ".commit")));

  SECTION("prepare removes what an interrupted deploy left") {
    fs::create_directories(root / "releases" / ".20260101T000009Z-aaaaaaaaaaaa-j9.partial" / "x");
    spit(root / "releases" / ".20260101T000009Z-aaaaaaaaaaaa-j9.commit", "a\n");
    fs::create_symlink("releases/nothing", root / ".current.tmp");
    REQUIRE(folder.prepare().has_value());
    CHECK(snapshot(root / "releases").count(".20260101T000009Z-aaaaaaaaaaaa-j9.commit") == 0);
    CHECK_FALSE(fs::exists(root / "releases" / ".20260101T000009Z-aaaaaaaaaaaa-j9.partial"));
    CHECK_FALSE(fs::is_symlink(root / ".current.tmp"));
    CHECK(folder.live().value()->id == second.id);
  }
  SECTION("a live release without a manifest is not reused: the next one is sent whole") {
    fs::remove(root / "releases" / ("." + second.id + ".manifest"));
    Staged third(repo, staging, {{"app.yaml", "version: 3\n"}, {"bin/run*", "#!/bin/sh\n"}}, 3);
    auto up3 = folder.write_release(third.id, third.commit, third.manifest, third.dir, folder.live().value());
    REQUIRE(up3.has_value());
    CHECK_FALSE(up3->reused_live);
    CHECK(up3->files_sent == 2);
    CHECK(snapshot(root / "releases" / third.id) == snapshot(third.dir));
  }
  SECTION("clear_live leaves nothing live") {
    REQUIRE(folder.clear_live().has_value());
    CHECK_FALSE(folder.live().value().has_value());
  }
}
