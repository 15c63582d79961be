#include "deployers/ssh/remote_release_folder.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include "deployers/release_tree.hpp"
#include "deployers/ssh/release_manifest.hpp"
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

std::string content(const fs::path& p) { return slurp(p); }

// A commit staged as the SSH deployer stages it, with the plan for a host
// whose live release is `live` (nullopt: none).
struct Staged {
  std::string commit;
  Environment env = local_environment("/unused");
  Attempt attempt;
  ReleaseStager stager;
  Staged(TestRepo& repo, const TempDir& tmp, const std::map<std::string, std::string>& files, int job)
      : commit(repo.commit(repo.files(files))), attempt(repo, env, commit, job), stager(attempt.request, env, tmp / "stage") {}
  const std::string& id() const { return attempt.request.release_id; }
  const ReleasePlan& plan(const std::optional<Release>& live) {
    auto p = stager.plan(live ? live->tree : "");
    REQUIRE(p.has_value());
    return **p;
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
  // A name past tar's 100-byte header field, and a symlink target past it too.
  std::string deep = "deep/" + std::string(60, 'd') + "/" + std::string(60, 'e') + ".yaml";
  files[deep] = "deep: 1\n";
  files["@far"] = deep;
  Staged first(repo, staging, files, 1);
  files["app.yaml"] = "version: 2\n";
  files.erase("docs/$(id).md");
  files["new.txt"] = "new\n";
  Staged second(repo, staging, files, 2);
  TempDir expected;
  REQUIRE(materialize_tree(repo.get(), first.commit, "", expected / "first").has_value());
  REQUIRE(materialize_tree(repo.get(), second.commit, "", expected / "second").has_value());

  using Then = RemoteReleaseFolder::Then;
  CHECK_FALSE(folder.live().value().has_value());
  auto up1 = folder.write_release(first.id(), first.commit, first.plan(std::nullopt), std::nullopt, Then::stay, {});
  REQUIRE(up1.has_value());
  CHECK_FALSE(up1->reused_live);
  CHECK(up1->files_sent == 6);
  CHECK_FALSE(folder.intact(first.id()));  // no snapshot yet
  REQUIRE(folder.record_snapshot(first.id()).has_value());
  REQUIRE(folder.switch_to(first.id()).has_value());
  CHECK(fs::read_symlink(root / "current") == fs::path("releases") / first.id());
  CHECK(snapshot(root / "current") == snapshot(expected / "first"));
  CHECK((fs::status(root / "current/bin/run").permissions() & fs::perms::owner_exec) != fs::perms::none);
  CHECK(fs::read_symlink(root / "current/far") == fs::path(deep));
  auto live = folder.live().value();
  REQUIRE(live);
  CHECK(live->id == first.id());
  CHECK(live->commit == first.commit);
  CHECK(live->tree == tree_id_of(repo.get(), first.commit, "").value());

  CHECK(folder.intact(first.id()));
  CHECK(folder.snapshot(first.id()).value() == folder.recorded_snapshot(first.id()).value().value());
  SECTION("a live release changed by hand is no longer intact") {
    spit(root / "releases" / first.id() / "docs" / "by-hand.txt", "x\n");
    CHECK_FALSE(folder.intact(first.id()));
    return;
  }
  fs::path live_app = root / "releases" / first.id() / "app.yaml";
  ino_t live_app_inode = inode(live_app);
  auto up2 = folder.write_release(second.id(), second.commit, second.plan(live), live, Then::stay, {});
  REQUIRE(up2.has_value());
  CHECK(up2->reused_live);
  CHECK(up2->files_sent == 2);  // app.yaml changed, new.txt added
  CHECK(up2->bytes_sent == std::string("version: 2\nnew\n").size());
  CHECK(up2->removed == 2);     // app.yaml replaced, docs/ gone
  CHECK(snapshot(root / "releases" / second.id()) == snapshot(expected / "second"));
  // Unchanged files are the live release's own, linked; a changed one is a
  // new file: the live release's copy keeps its content and inode.
  CHECK(inode(root / "releases" / second.id() / "bin/run") == inode(root / "releases" / first.id() / "bin/run"));
  CHECK(inode(root / "releases" / second.id() / "app.yaml") != live_app_inode);
  CHECK(inode(live_app) == live_app_inode);
  CHECK(content(live_app) == "version: 1\n");
  CHECK(snapshot(root / "releases" / first.id()) == snapshot(expected / "first"));

  REQUIRE(folder.switch_to(second.id()).has_value());
  auto kept = folder.releases().value();
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].id == second.id());
  CHECK(kept[1].commit == first.commit);
  CHECK_FALSE(folder.remove({second.id()}).has_value());      // live
  CHECK(folder.release_ids().value() == std::vector<std::string>{second.id(), first.id()});
  REQUIRE(folder.remove({first.id()}).has_value());
  CHECK_FALSE(fs::exists(root / "releases" / first.id()));
  CHECK_FALSE(fs::exists(root / "releases" / ("." + first.id() + ".commit")));

  SECTION("a write removes what an interrupted deploy left, and can make its release live at once") {
    fs::create_directories(root / "releases" / ".20260101T000009Z-aaaaaaaaaaaa-j9.partial" / "x");
    spit(root / "releases" / ".20260101T000009Z-aaaaaaaaaaaa-j9.commit", "a\n");
    fs::create_symlink("releases/nothing", root / ".current.tmp");
    Staged third(repo, staging, {{"app.yaml", "version: 3\n"}}, 3);
    std::string old = "20250101T000000Z-aaaaaaaaaaaa-j1";
    fs::create_directories(root / "releases" / old / "x");
    auto now = folder.live().value();
    REQUIRE(folder.write_release(third.id(), third.commit, third.plan(now), now, Then::go_live, {old}).has_value());
    CHECK_FALSE(fs::exists(root / "releases" / old));
    CHECK(fs::exists(root / "releases" / second.id()));
    CHECK(snapshot(root / "releases").count(".20260101T000009Z-aaaaaaaaaaaa-j9.commit") == 0);
    CHECK_FALSE(fs::exists(root / "releases" / ".20260101T000009Z-aaaaaaaaaaaa-j9.partial"));
    CHECK_FALSE(fs::is_symlink(fs::symlink_status(root / ".current.tmp")));
    CHECK(folder.live().value()->id == third.id());
    CHECK(content(root / "current/app.yaml") == "version: 3\n");
    CHECK(folder.intact(third.id()));  // its snapshot was taken as it went live
  }
  SECTION("a live release whose tree the repository lacks is not reused: the next one is sent whole") {
    spit(root / "releases" / ("." + second.id() + ".commit"), second.commit + "\ntree " + std::string(40, 'b') + "\n");
    Staged third(repo, staging, {{"app.yaml", "version: 3\n"}, {"bin/run*", "#!/bin/sh\n"}}, 3);
    auto now = folder.live().value();
    REQUIRE(now);
    CHECK(now->tree == std::string(40, 'b'));
    auto up3 = folder.write_release(third.id(), third.commit, third.plan(now), now, Then::stay, {});
    REQUIRE(up3.has_value());
    CHECK_FALSE(up3->reused_live);
    CHECK(up3->files_sent == 2);
    CHECK(content(root / "releases" / third.id() / "app.yaml") == "version: 3\n");
  }
  SECTION("more changed files than one command can name are removed in batches first") {
    // 3,000 changed files in a folder that stays: ~100 KB of paths, over one command's share.
    std::map<std::string, std::string> many, changed;
    for (int i = 0; i < 3000; ++i) {
      std::string name = fmt::format("many/a-rather-long-file-name-{:05}.yaml", i);
      many[name] = "v: 1\n";
      changed[name] = "v: 2\n";
    }
    Staged third(repo, staging, many, 3);
    Staged fourth(repo, staging, changed, 4);
    auto now = folder.live().value();
    REQUIRE(folder.write_release(third.id(), third.commit, third.plan(now), now, Then::go_live, {}).has_value());
    now = folder.live().value();
    const ReleasePlan& plan = fourth.plan(now);
    REQUIRE(plan.removed.size() == 3000);
    auto up4 = folder.write_release(fourth.id(), fourth.commit, plan, now, Then::go_live, {});
    REQUIRE(up4.has_value());
    CHECK(up4->reused_live);
    CHECK(up4->files_sent == 3000);
    CHECK(content(root / "current/many/a-rather-long-file-name-02999.yaml") == "v: 2\n");
    CHECK(content(root / "releases" / third.id() / "many/a-rather-long-file-name-02999.yaml") == "v: 1\n");
  }
  SECTION("a release that exists already is refused, not merged into") {
    Staged third(repo, staging, {{"app.yaml", "version: 3\n"}}, 3);
    fs::create_directories(root / "releases" / third.id() / "app.yaml");
    auto up3 = folder.write_release(third.id(), third.commit, third.plan(std::nullopt), std::nullopt, Then::go_live, {});
    REQUIRE_FALSE(up3.has_value());
    CHECK_THAT(up3.error().message, Catch::Contains("pushgate-write"));
    CHECK(fs::is_directory(root / "releases" / third.id() / "app.yaml"));
    CHECK(folder.live().value()->id == second.id());
  }
  SECTION("clear_live leaves nothing live") {
    REQUIRE(folder.clear_live().has_value());
    CHECK_FALSE(folder.live().value().has_value());
  }
}

TEST_CASE("beyond_keep leaves keep releases with the new one, never the rollback target") {
  std::vector<std::string> kept{"r5", "r4", "r3", "r2", "r1"};
  CHECK(beyond_keep(kept, 3, "r5") == std::vector<std::string>{"r3", "r2", "r1"});
  CHECK(beyond_keep(kept, 3, "r2") == std::vector<std::string>{"r3", "r1"});
  CHECK(beyond_keep(kept, 1, "r5") == std::vector<std::string>{"r4", "r3", "r2", "r1"});
  CHECK(beyond_keep(kept, 5, "r5") == std::vector<std::string>{"r1"});
  CHECK(beyond_keep(kept, 6, "r5").empty());
  CHECK(beyond_keep({}, 3, "").empty());
}
