#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <set>

#include "core/git/git.hpp"
#include "core/records/notes.hpp"
#include "core/git/shared_repository.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using pushgate::test::TempDir;

namespace fs = std::filesystem;

namespace {

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

mode_t adjusted(std::string_view value, mode_t mode) { return SharedRepository::parse(value).value().adjusted(mode); }

}  // namespace

TEST_CASE("SharedRepository reads core.sharedRepository as git does") {
  for (const char* off : {"umask", "false", "0", "no", "off"}) {
    INFO(off);
    CHECK_FALSE(SharedRepository::parse(off).value().shared());
  }
  for (const char* group : {"group", "true", "1", "yes"}) {
    INFO(group);
    CHECK(adjusted(group, S_IFDIR | 0755) == (S_IFDIR | 02775));
    CHECK(adjusted(group, S_IFREG | 0644) == (S_IFREG | 0664));
    CHECK(adjusted(group, S_IFREG | 0444) == (S_IFREG | 0444));  // loose objects stay read-only
  }
  for (const char* all : {"all", "world", "everybody", "2"}) {
    INFO(all);
    CHECK(adjusted(all, S_IFDIR | 0700) == (S_IFDIR | 02775));
    CHECK(adjusted(all, S_IFREG | 0600) == (S_IFREG | 0664));
  }
  // An octal mode is taken exactly; others never get write.
  CHECK(adjusted("0640", S_IFREG | 0666) == (S_IFREG | 0640));
  CHECK(adjusted("0660", S_IFDIR | 0755) == (S_IFDIR | 02770));
  CHECK(adjusted("0666", S_IFREG | 0600) == (S_IFREG | 0666));
  CHECK(adjusted("0600", S_IFDIR | 0777) == (S_IFDIR | 0700));
  std::string error;
  CHECK_FALSE(SharedRepository::parse("0440", &error));
  CHECK_THAT(error, Catch::Contains("owner"));
  CHECK_FALSE(SharedRepository::parse("sometimes", &error));
  CHECK_THAT(error, Catch::Contains("sometimes"));
}

TEST_CASE("notes written by the daemon keep a group-shared repository writable for the group") {
  git::Library lib;
  TempDir tmp;
  std::string value = GENERATE(std::string("group"), std::string("0660"), std::string("all"));
  INFO(value);
  std::string init = "cd '" + tmp.path().string() + "' && git init -q --bare --shared=" + value +
                     " app.git && git -C app.git config core.logAllRefUpdates true && "
                     "git -c user.name=t -c user.email=t@t -C app.git commit-tree -m one "
                     "$(git -C app.git mktree </dev/null) >commit";
  REQUIRE(std::system(init.c_str()) == 0);
  fs::path repo_dir = tmp / "app.git";
  std::string hex = pushgate::test::slurp(tmp / "commit").substr(0, 40);
  git_oid commit = *git::parse_oid(hex);
  auto repo = git::open(repo_dir.string()).value();

  auto objects = [&] {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(repo_dir / "objects")) names.insert(entry.path().filename());
    return names;
  };
  std::set<std::string> before = objects();
  // A tight umask: what is made must still be shared.
  mode_t saved = ::umask(077);
  for (int i = 0; i < 5; ++i) {
    REQUIRE(append_note(repo.get(), deploy_notes_ref("production"), commit, "line\n"));
    REQUIRE(append_note(repo.get(), deploy_log_notes_ref("production"), commit, "log\n"));
  }
  ::umask(saved);

  // No loose object folder is made; the packs git already shares hold the objects.
  CHECK(objects() == before);
  // Every folder and file made is group-writable where git makes it so.
  for (const auto& entry : fs::recursive_directory_iterator(repo_dir)) {
    INFO(entry.path());
    mode_t mode = mode_of(entry.path());
    if (entry.is_directory()) {
      CHECK((mode & 02070) == 02070);
    } else if (mode & S_IWUSR) {
      CHECK((mode & 0060) == 0060);
    }
  }
  CHECK((mode_of(repo_dir / "refs/notes/deploy") & 02070) == 02070);
  // Packs are read-only, readable by whom core.sharedRepository says.
  for (const auto& entry : fs::directory_iterator(repo_dir / "objects/pack"))
    CHECK(mode_of(entry.path()) == (value == "0660" ? 0440 : 0444));
  CHECK((mode_of(repo_dir / "refs/notes/deploy-log/production") & 0060) == 0060);
  std::string show = "git -C '" + repo_dir.string() + "' notes --ref=deploy/production show " + hex + " >" +
                     (tmp / "shown").string();
  REQUIRE(std::system(show.c_str()) == 0);
  CHECK(pushgate::test::slurp(tmp / "shown") == "line\nline\nline\nline\nline\n");
}
