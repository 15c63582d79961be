#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "core/git/git.hpp"
#include "core/records/notes.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using pushgate::test::TempDir;

namespace {

const std::string k_ref = "refs/notes/deploy/production";

struct Shell {
  std::string out;
  int status = -1;
};

// Runs `script` with sh in `dir`, as a person checking the result with git would.
Shell sh(const std::filesystem::path& dir, const std::string& script) {
  std::string command = "cd '" + dir.string() +
                        "' && { export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t "
                        "GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t; " +
                        script + "; } 2>&1";
  Shell result;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) result.out.append(buf, n);
  int rc = ::pclose(pipe);
  result.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return result;
}

// A repository with two commits, opened with libgit2 while no global or
// system git config is visible, so the notes' author is pushgate's own.
class NotesRepo {
 public:
  NotesRepo() {
    for (int level : {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL})
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, (m_tmp / "no-config").c_str());
    Shell made = sh(m_tmp.path(), "git init -q repo && cd repo && git commit -q --allow-empty -m one && "
                                  "git commit -q --allow-empty -m two && git rev-parse HEAD~1 HEAD");
    REQUIRE(made.status == 0);
    c1_hex = made.out.substr(0, 40);
    c2_hex = made.out.substr(41, 40);
    c1 = *git::parse_oid(c1_hex);
    c2 = *git::parse_oid(c2_hex);
    m_repo = open();
  }
  ~NotesRepo() {
    for (int level : {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL})
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, nullptr);
  }

  git::RepositoryPtr open() const { return git::open(dir().string()).value(); }
  git_repository* repo() const { return m_repo.get(); }
  std::filesystem::path dir() const { return m_tmp / "repo"; }
  Shell git(const std::string& args) const { return sh(dir(), "git " + args); }
  std::string show(const std::string& hex) const {
    return git("notes --ref=deploy/production show " + hex).out;
  }
  // Every path in the notes tree, one per line.
  std::string paths() const { return git("ls-tree -r --name-only " + k_ref).out; }
  void append(const git_oid& commit, const std::string& text) const {
    auto done = append_note(repo(), k_ref, commit, text);
    REQUIRE(done);
  }
  void check_fsck() const {
    Shell fsck = git("fsck --strict --no-progress");
    INFO(fsck.out);
    CHECK(fsck.status == 0);
    CHECK(fsck.out.find("error") == std::string::npos);
    CHECK(fsck.out.find("missing") == std::string::npos);
  }

  std::string c1_hex, c2_hex;
  git_oid c1{}, c2{};

 private:
  git::Library m_lib;
  TempDir m_tmp;
  git::RepositoryPtr m_repo;
};

std::string fanned(const std::string& hex) { return hex.substr(0, 2) + "/" + hex.substr(2); }

}  // namespace

TEST_CASE("notes refs are named after the environment") {
  CHECK(deploy_notes_ref("production") == "refs/notes/deploy/production");
  CHECK(deploy_log_notes_ref("staging") == "refs/notes/deploy-log/staging");
}

TEST_CASE("append_note writes notes that plain git reads") {
  NotesRepo r;
  r.append(r.c1, "line 1\n");
  r.append(r.c1, "line 2\n");
  r.append(r.c2, "other\n");

  CHECK(*read_note(r.repo(), k_ref, r.c1) == "line 1\nline 2\n");
  CHECK(r.show(r.c1_hex) == "line 1\nline 2\n");
  CHECK(r.show(r.c2_hex) == "other\n");
  CHECK_THAT(r.git("log -1 --notes=deploy/production " + r.c1_hex).out,
             Catch::Contains("Notes (deploy/production):") && Catch::Contains("    line 2"));
  CHECK_THAT(r.git("log --notes='deploy/*' --format=%N").out,
             Catch::Contains("other") && Catch::Contains("line 1"));
  // 2/38 fan-out, as git itself lays out large notes trees.
  std::string expected = fanned(r.c1_hex) + "\n" + fanned(r.c2_hex) + "\n";
  if (r.c2_hex < r.c1_hex) expected = fanned(r.c2_hex) + "\n" + fanned(r.c1_hex) + "\n";
  CHECK(r.paths() == expected);
  // One commit per append, each on the one before: nothing is rewritten.
  CHECK(r.git("rev-list --count " + k_ref).out == "3\n");
  CHECK(r.git("log -1 --format='%s|%an <%ae>' " + k_ref).out ==
        "Notes added by pushgate|pushgate <pushgate@localhost>\n");
  r.check_fsck();
}

TEST_CASE("append_note signs notes commits with the repository's configured identity") {
  NotesRepo r;
  REQUIRE(r.git("config user.name 'Deploy Bot' && git config user.email bot@example.org").status == 0);
  auto repo = r.open();
  REQUIRE(append_note(repo.get(), k_ref, r.c1, "x\n"));
  CHECK(r.git("log -1 --format='%an <%ae>' " + k_ref).out == "Deploy Bot <bot@example.org>\n");
}

TEST_CASE("append_note adds to a note that git notes add wrote at the top level") {
  NotesRepo r;
  REQUIRE(r.git("notes --ref=deploy/production add -m 'by hand' " + r.c1_hex).status == 0);
  REQUIRE(r.paths() == r.c1_hex + "\n");

  r.append(r.c1, "record\n");
  r.append(r.c2, "new note\n");

  CHECK(r.show(r.c1_hex) == "by hand\nrecord\n");
  CHECK(r.show(r.c2_hex) == "new note\n");
  // The old note stayed where it was, with no second copy under a fan-out folder.
  std::string paths = r.paths();
  CHECK_THAT(paths, Catch::Contains(r.c1_hex + "\n"));
  CHECK_THAT(paths, Catch::Contains(fanned(r.c2_hex) + "\n"));
  CHECK(std::count(paths.begin(), paths.end(), '\n') == 2);
  r.check_fsck();

  // And git can go on appending to what pushgate wrote.
  REQUIRE(r.git("notes --ref=deploy/production append -m 'by hand again' " + r.c2_hex).status == 0);
  CHECK(*read_note(r.repo(), k_ref, r.c2) == "new note\n\nby hand again\n");

  std::map<std::string, std::string> seen;
  REQUIRE(for_each_note(r.repo(), k_ref,
                        [&](const git_oid& id, std::string_view text) { seen[git::to_hex(id)] = text; }));
  CHECK(seen == std::map<std::string, std::string>{{r.c1_hex, "by hand\nrecord\n"},
                                                    {r.c2_hex, "new note\n\nby hand again\n"}});
}

TEST_CASE("append_note finds a note under a deeper fan-out") {
  NotesRepo r;
  const std::string& h = r.c1_hex;
  Shell built = sh(r.dir(),
      "printf 'old\\n' | git hash-object -w --stdin >blob && "
      "printf '100644 blob %s\\t" + h.substr(4) + "\\n' $(cat blob) | git mktree >t2 && "
      "printf '040000 tree %s\\t" + h.substr(2, 2) + "\\n' $(cat t2) | git mktree >t1 && "
      "printf '040000 tree %s\\t" + h.substr(0, 2) + "\\n' $(cat t1) | git mktree >t0 && "
      "git update-ref " + k_ref + " $(git commit-tree $(cat t0) -m seed)");
  INFO(built.out);
  REQUIRE(built.status == 0);
  REQUIRE(r.show(h) == "old\n");

  r.append(r.c1, "appended\n");
  CHECK(r.show(h) == "old\nappended\n");
  CHECK(r.paths() == h.substr(0, 2) + "/" + h.substr(2, 2) + "/" + h.substr(4) + "\n");
  r.check_fsck();
}

TEST_CASE("reading a notes ref that does not exist finds nothing") {
  NotesRepo r;
  CHECK(*read_note(r.repo(), k_ref, r.c1) == "");
  int visits = 0;
  REQUIRE(for_each_note(r.repo(), k_ref, [&](const git_oid&, std::string_view) { ++visits; }));
  CHECK(visits == 0);
}

TEST_CASE("append_note errors name the ref") {
  NotesRepo r;
  auto bad = append_note(r.repo(), "refs/notes/bad..name", r.c1, "x\n");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::git);
  CHECK_THAT(bad.error().message, Catch::Contains("refs/notes/bad..name"));
}

TEST_CASE("append_note names a ref lock that another writer holds") {
  NotesRepo r;
  r.append(r.c1, "first\n");
  std::filesystem::path lock = r.dir() / ".git" / (k_ref + ".lock");
  pushgate::test::spit(lock, "");
  // Fresh for the whole test, however slow the machine: a lock held now.
  std::filesystem::last_write_time(lock, std::filesystem::file_time_type::clock::now() + std::chrono::minutes(1));
  auto blocked = append_note(r.repo(), k_ref, r.c1, "second\n");
  REQUIRE_FALSE(blocked);
  CHECK_THAT(blocked.error().message, Catch::Contains("stale lock file") && Catch::Contains(lock.string()));
  std::filesystem::remove(lock);
  r.append(r.c1, "second\n");
  CHECK(r.show(r.c1_hex) == "first\nsecond\n");
}

TEST_CASE("append_note removes a ref lock that a writer killed mid-update left long ago") {
  NotesRepo r;
  r.append(r.c1, "first\n");
  std::filesystem::path lock = r.dir() / ".git" / (k_ref + ".lock");
  pushgate::test::spit(lock, "");
  std::filesystem::last_write_time(lock, std::filesystem::file_time_type::clock::now() - std::chrono::minutes(1));
  REQUIRE(append_note(r.repo(), k_ref, r.c1, "second\n"));
  CHECK_FALSE(std::filesystem::exists(lock));
  CHECK(r.show(r.c1_hex) == "first\nsecond\n");
}

TEST_CASE("append_note loses no line when writers race on one ref") {
  NotesRepo r;
  constexpr int k_threads = 6;
  constexpr int k_each = 25;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::vector<std::string> errors;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&, t] {
      auto repo = r.open();  // libgit2 handles are not shared between threads
      for (int i = 0; i < k_each; ++i) {
        const git_oid& target = i % 2 ? r.c2 : r.c1;
        auto done = append_note(repo.get(), k_ref, target,
                                "writer " + std::to_string(t) + " line " + std::to_string(i) + "\n");
        std::lock_guard lock(mutex);
        if (!done) errors.push_back(done.error().message);
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(errors == std::vector<std::string>{});

  std::string all = *read_note(r.repo(), k_ref, r.c1) + *read_note(r.repo(), k_ref, r.c2);
  for (int t = 0; t < k_threads; ++t) {
    for (int i = 0; i < k_each; ++i) {
      std::string line = "writer " + std::to_string(t) + " line " + std::to_string(i) + "\n";
      INFO(line);
      CHECK(all.find(line) != std::string::npos);
    }
  }
  CHECK(std::count(all.begin(), all.end(), '\n') == k_threads * k_each);
  CHECK(r.git("rev-list --count " + k_ref).out == std::to_string(k_threads * k_each) + "\n");
  r.check_fsck();
}

TEST_CASE("append_note and another program moving the ref by compare-and-swap both keep every update") {
  NotesRepo r;
  r.append(r.c1, "first\n");
  // The other program: commits the current notes tree again on top of the
  // tip, and moves the ref only if the tip is unchanged (as `git update-ref
  // REF NEW OLD` does), until told to stop.
  std::thread other([&] {
    sh(r.dir(), "while [ ! -e stop ]; do old=$(git rev-parse " + k_ref + ") && "
                "new=$(git commit-tree $old^{tree} -p $old -m other) && "
                "git update-ref " + k_ref + " $new $old 2>/dev/null && echo moved >>moves; done");
  });
  constexpr int k_appends = 60;
  std::vector<std::string> errors;
  for (int i = 0; i < k_appends; ++i) {
    auto done = append_note(r.repo(), k_ref, r.c1, "line " + std::to_string(i) + "\n");
    if (!done) errors.push_back(done.error().message);
    // Paced like a daemon rather than a tight loop, so the slower other
    // program gets its moves in between.
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
  sh(r.dir(), "i=0; while [ ! -e moves ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done; touch stop");
  other.join();
  CHECK(errors == std::vector<std::string>{});

  std::string note = *read_note(r.repo(), k_ref, r.c1);
  CHECK(std::count(note.begin(), note.end(), '\n') == k_appends + 1);
  for (int i = 0; i < k_appends; ++i) CHECK_THAT(note, Catch::Contains("line " + std::to_string(i) + "\n"));
  std::string moves_in_history = sh(r.dir(), "git log --format=%s " + k_ref + " | grep -c '^other$'").out;
  CHECK(sh(r.dir(), "wc -l <moves").out == moves_in_history);
  CHECK(moves_in_history != "0\n");
}
