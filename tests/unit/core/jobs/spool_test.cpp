#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "core/jobs/spool.hpp"
#include "core/jobs/spool_entry.hpp"
#include "tests/unit/support/stderr_capture.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using pushgate::test::slurp;
using pushgate::test::spit;
using pushgate::test::StderrCapture;
using pushgate::test::TempDir;

namespace {

Job sample(std::string env = "production") {
  Job job;
  job.repo = "/srv/git/app.git";
  job.env = std::move(env);
  job.ref = "refs/heads/main";
  job.commit = std::string(40, 'c');
  job.pusher = "alice";
  return job;
}

std::vector<std::uint64_t> ids(const std::vector<Job>& jobs) {
  std::vector<std::uint64_t> out;
  for (const auto& j : jobs) out.push_back(j.id);
  return out;
}

}  // namespace

TEST_CASE("Spool creates its folders group-writable") {
  TempDir tmp;
  mode_t saved = ::umask(022);
  Spool spool(tmp / "deep/spool");
  ::umask(saved);
  for (const char* folder : {"", "tmp", "new", "active", "done", "logs", "bad"}) {
    struct stat st;
    REQUIRE(::stat((tmp / "deep/spool" / folder).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0770);
  }
  CHECK(spool.log_path(5) == tmp / "deep/spool/logs/5.log");
}

TEST_CASE("Spool keeps SPOOL/seq group-writable and job files group-readable under a tight umask") {
  TempDir tmp;
  mode_t saved = ::umask(027);
  Spool spool(tmp / "spool");
  auto queued = spool.enqueue(sample());
  ::umask(saved);
  REQUIRE(queued);
  // Another user of the group must be able to take the next id and read the
  // job, but not change it: the daemon believes a job's pusher by its owner.
  struct stat st;
  REQUIRE(::stat((tmp / "spool/seq").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0660);
  REQUIRE(::stat((tmp / "spool/new/1.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);

  SECTION("a seq left 0640 by an earlier run is repaired") {
    REQUIRE(::chmod((tmp / "spool/seq").c_str(), 0640) == 0);
    REQUIRE(spool.enqueue(sample()));
    REQUIRE(::stat((tmp / "spool/seq").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0660);
  }
}

TEST_CASE("Spool keeps the setgid bit of a setgid spool on its folders") {
  TempDir tmp;
  mode_t saved = ::umask(022);
  SECTION("the spool's parent is setgid") {
    REQUIRE(::chmod(tmp.path().c_str(), 02770) == 0);
    Spool spool(tmp / "spool");
  }
  SECTION("the administrator made the spool folder setgid") {
    REQUIRE(::mkdir((tmp / "spool").c_str(), 0770) == 0);
    REQUIRE(::chmod((tmp / "spool").c_str(), 02770) == 0);
    Spool spool(tmp / "spool");
  }
  ::umask(saved);
  // Files made in these folders take the spool's group, not their creator's.
  for (const char* folder : {"", "tmp", "new", "active", "done", "logs", "bad"}) {
    struct stat st;
    REQUIRE(::stat((tmp / "spool" / folder).c_str(), &st) == 0);
    INFO("folder: spool/" << folder);
    CHECK((st.st_mode & 07777) == 02770);
  }
}

TEST_CASE("Spool::enqueue stores whole jobs with increasing ids") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  auto first = spool.enqueue(sample());
  auto second = spool.enqueue(sample("staging"));
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->id == 1);
  CHECK(second->id == 2);
  CHECK_FALSE(first->enqueued_at.empty());
  CHECK(std::filesystem::exists(tmp / "spool/new/1.json"));
  CHECK(std::filesystem::is_empty(tmp / "spool/tmp"));
  CHECK(slurp(tmp / "spool/seq") == "2\n");

  // A second process (here: a second Spool) sees the same queue.
  Spool other(tmp / "spool");
  auto waiting = other.waiting();
  REQUIRE(ids(waiting) == std::vector<std::uint64_t>{1, 2});
  CHECK(waiting[1].env == "staging");
  CHECK(waiting[0].commit == std::string(40, 'c'));
  CHECK(other.phase(2) == JobPhase::waiting);
  CHECK(other.phase(3) == JobPhase::unknown);
}

TEST_CASE("Spool moves a job through claim and finish") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  auto job = spool.enqueue(sample());
  REQUIRE(job);

  auto claimed = spool.claim(job->id);
  REQUIRE(claimed);
  CHECK(claimed->env == "production");
  CHECK(spool.phase(job->id) == JobPhase::active);
  CHECK(spool.waiting().empty());
  CHECK(ids(spool.active()) == std::vector<std::uint64_t>{job->id});
  CHECK_FALSE(spool.claim(job->id));

  REQUIRE(spool.finish(job->id, {"succeeded", "20261126T073000Z-cccccccccccc-j1", "deployed", ""}));
  CHECK(spool.phase(job->id) == JobPhase::done);
  CHECK(spool.active().empty());
  auto outcome = spool.outcome(job->id);
  REQUIRE(outcome);
  CHECK(outcome->status == "succeeded");
  CHECK(outcome->release == "20261126T073000Z-cccccccccccc-j1");
  CHECK_FALSE(outcome->finished_at.empty());
  auto found = spool.find(job->id);
  REQUIRE(found);
  CHECK(found->pusher == "alice");
  // The job and its outcome are one file, so neither is ever without the other.
  std::string done = slurp(tmp / "spool/done/1.json");
  CHECK_THAT(done, Catch::Contains("\"job\"") && Catch::Contains("\"outcome\""));

  auto again = spool.finish(job->id, {"failed", "", "", ""});
  REQUIRE_FALSE(again);
  CHECK_THAT(again.error().message, Catch::Contains("already finished"));
  CHECK_FALSE(spool.finish(99, {"failed", "", "", ""}));
}

TEST_CASE("Spool::finish records a superseded job straight from the queue") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  auto older = spool.enqueue(sample());
  auto newer = spool.enqueue(sample());
  REQUIRE(spool.finish(older->id, {"superseded", "", "superseded by job 2", ""}));
  CHECK(ids(spool.waiting()) == std::vector<std::uint64_t>{newer->id});
  CHECK(spool.outcome(older->id)->message == "superseded by job 2");
  CHECK_FALSE(spool.outcome(newer->id));
}

TEST_CASE("Spool ignores what a crash leaves half-done") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  auto job = spool.enqueue(sample());
  REQUIRE(job);

  SECTION("a job still being written is not waiting") {
    spit(tmp / "spool/tmp/7.json", "{\"id\": 7, \"ki");
    CHECK(ids(spool.waiting()) == std::vector<std::uint64_t>{1});
  }
  SECTION("a job finished but not yet removed from active/ counts as done") {
    REQUIRE(spool.claim(job->id));
    std::filesystem::copy_file(tmp / "spool/active/1.json", tmp / "spool/saved.json");
    REQUIRE(spool.finish(job->id, {"succeeded", "", "", ""}));
    std::filesystem::rename(tmp / "spool/saved.json", tmp / "spool/active/1.json");
    CHECK(spool.active().empty());
    CHECK(spool.phase(job->id) == JobPhase::done);
  }
  SECTION("a lost, damaged or stale seq file never hands out a used id") {
    REQUIRE(spool.claim(job->id));
    REQUIRE(spool.enqueue(sample()));
    spit(tmp / "spool/seq", GENERATE(std::string(""), std::string("garbage"), std::string("1\n")));
    auto next = spool.enqueue(sample());
    REQUIRE(next);
    CHECK(next->id == 3);
  }
}

TEST_CASE("Spool moves a corrupt job file aside and says which") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  REQUIRE(spool.enqueue(sample()));
  // Unreadable, or claiming to be another job than its name says.
  spit(tmp / "spool/new/5.json",
       GENERATE(std::string("{not json"), std::string(R"({"id":6,"kind":"push","repo":"/r","env":"e"})")));
  spit(tmp / "spool/new/README", "not a job, not touched");
  StderrCapture err(tmp / "stderr.txt");
  auto waiting = spool.waiting();
  std::string message = err.text();
  CHECK(ids(waiting) == std::vector<std::uint64_t>{1});
  CHECK_THAT(message, Catch::Contains((tmp / "spool/new/5.json").string()));
  CHECK_THAT(message, Catch::Contains("corrupt"));
  CHECK(std::filesystem::exists(tmp / "spool/bad/5.json"));
  CHECK_FALSE(std::filesystem::exists(tmp / "spool/new/5.json"));
  CHECK(std::filesystem::exists(tmp / "spool/new/README"));
}

TEST_CASE("Spool ids stay unique when processes and threads enqueue at once") {
  TempDir tmp;
  constexpr int k_processes = 3;
  constexpr int k_threads = 3;
  constexpr int k_each = 20;
  { Spool create(tmp / "spool"); }

  std::vector<pid_t> children;
  for (int p = 0; p < k_processes; ++p) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      Spool spool(tmp / "spool");
      int failures = 0;
      for (int i = 0; i < k_each; ++i) failures += spool.enqueue(sample()) ? 0 : 1;
      ::_exit(failures == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&] {
      Spool spool(tmp / "spool");
      for (int i = 0; i < k_each; ++i)
        if (!spool.enqueue(sample())) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  CHECK(failures == 0);

  constexpr std::uint64_t k_total = (k_processes + k_threads) * k_each;
  auto waiting = Spool(tmp / "spool").waiting();
  auto all = ids(waiting);
  std::set<std::uint64_t> unique(all.begin(), all.end());
  CHECK(waiting.size() == k_total);
  CHECK(unique.size() == k_total);
  CHECK(*unique.rbegin() == k_total);
}

TEST_CASE("Spool reports a corrupt job it is asked for by id") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  StderrCapture err(tmp / "stderr.txt");
  SECTION("claim") {
    spit(tmp / "spool/new/4.json", "{}");
    auto claimed = spool.claim(4);
    REQUIRE_FALSE(claimed);
    CHECK_THAT(claimed.error().message, Catch::Contains("job 4 is corrupt"));
    CHECK(std::filesystem::exists(tmp / "spool/bad/4.json"));
  }
  SECTION("outcome") {
    spit(tmp / "spool/done/4.json", R"({"job": 4})");
    CHECK_FALSE(spool.outcome(4));
    CHECK(std::filesystem::exists(tmp / "spool/bad/4.json"));
  }
  CHECK_THAT(err.text(), Catch::Contains("/4.json"));
}

TEST_CASE("Spool gives the owner of a job file with the job, and keeps a pending record until finish") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  auto queued = spool.enqueue(sample());
  REQUIRE(queued);
  auto waiting = spool.waiting();
  REQUIRE(waiting.size() == 1);
  CHECK(waiting[0].owner == ::geteuid());
  REQUIRE(spool.claim(queued->id));
  CHECK_FALSE(spool.pending_record(queued->id));
  REQUIRE(spool.set_pending_record(queued->id, "{\"x\":1}"));
  CHECK(spool.pending_record(queued->id) == std::string("{\"x\":1}"));
  CHECK(spool.active().size() == 1);
  REQUIRE(spool.finish(queued->id, {"succeeded", "", "", ""}));
  CHECK_FALSE(spool.pending_record(queued->id));
}

TEST_CASE("Spool moves aside, once, a spool entry that is not a small regular file") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  REQUIRE(spool.enqueue(sample()));
  std::filesystem::path entry = tmp / "spool/new/5.json";
  std::string kind;
  SECTION("a FIFO, which would block a plain open()") {
    REQUIRE(::mkfifo(entry.c_str(), 0660) == 0);
    kind = "a FIFO";
  }
  SECTION("a folder") {
    std::filesystem::create_directory(entry);
    kind = "a folder";
  }
  SECTION("a symbolic link, even to a valid job") {
    spit(tmp / "elsewhere.json", R"({"id":5,"kind":"push","repo":"/r","env":"e"})");
    std::filesystem::create_symlink(tmp / "elsewhere.json", entry);
    kind = "symbolic link";
  }
  SECTION("a file over the cap") {
    spit(entry, std::string(k_max_job_file + 1, ' '));
    kind = "at most";
  }
  // A bad/ file of the same name is kept: the entry goes beside it.
  spit(tmp / "spool/bad/5.json", "earlier");
  StderrCapture err(tmp / "stderr.txt");
  auto first = spool.waiting();
  auto second = spool.waiting();
  std::string message = err.text();
  CHECK(ids(first) == std::vector<std::uint64_t>{1});
  CHECK(ids(second) == std::vector<std::uint64_t>{1});
  CHECK_THAT(message, Catch::Contains(entry.string()) && Catch::Contains(kind));
  CHECK(std::count(message.begin(), message.end(), '\n') == 1);
  CHECK_FALSE(std::filesystem::exists(std::filesystem::symlink_status(entry)));
  CHECK(std::filesystem::exists(std::filesystem::symlink_status(tmp / "spool/bad/5.json.1")));
  CHECK(slurp(tmp / "spool/bad/5.json") == "earlier");
  CHECK(std::filesystem::exists(tmp / "elsewhere.json") == (kind == "symbolic link"));
}

TEST_CASE("Spool records the owner of the job file it read") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  auto queued = spool.enqueue(sample());
  REQUIRE(queued);
  CHECK(queued->owner == static_cast<uid_t>(-1));
  auto waiting = spool.waiting();
  REQUIRE(waiting.size() == 1);
  CHECK(waiting[0].owner == ::geteuid());
  auto claimed = spool.claim(queued->id);
  REQUIRE(claimed);
  CHECK(claimed->owner == ::geteuid());
  REQUIRE(spool.finish(queued->id, {"succeeded", "", "", ""}));
  auto done = spool.find(queued->id);
  REQUIRE(done);
  CHECK(done->owner == ::geteuid());
  // The owner is never stored, nor taken from the file's text.
  CHECK(job_to_json(*done).find("owner") == std::string::npos);
  spit(tmp / "spool/new/9.json", R"({"id":9,"kind":"push","repo":"/r","env":"e","owner":4242})");
  auto planted = spool.find(9);
  REQUIRE(planted);
  CHECK(planted->owner == ::geteuid());
}

TEST_CASE("Spool has a random id, made once and shared by every user of the spool") {
  TempDir tmp;
  std::string first = Spool(tmp / "spool").id();
  CHECK(first.size() == 32);
  CHECK(first.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(Spool(tmp / "spool").id() == first);
  CHECK(Spool(tmp / "other").id() != first);
  SECTION("processes creating one spool at once agree") {
    std::vector<pid_t> children;
    for (int i = 0; i < 8; ++i) {
      pid_t pid = ::fork();
      if (pid == 0) {
        std::string id = Spool(tmp / "raced").id();
        spit(tmp / ("id." + std::to_string(i)), id);
        ::_exit(0);
      }
      children.push_back(pid);
    }
    for (pid_t pid : children) ::waitpid(pid, nullptr, 0);
    std::set<std::string> seen;
    for (int i = 0; i < 8; ++i) seen.insert(slurp(tmp / ("id." + std::to_string(i))));
    CHECK(seen.size() == 1);
    CHECK(*seen.begin() == Spool(tmp / "raced").id());
  }
  SECTION("a damaged id is an error naming the file") {
    spit(tmp / "spool/id", "not an id\n");
    CHECK_THROWS_WITH(Spool(tmp / "spool"), Catch::Contains((tmp / "spool/id").string()));
  }
}

TEST_CASE("Spool moves aside a SPOOL/seq that is not a regular file and keeps queueing") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  REQUIRE(spool.enqueue(sample()));
  std::filesystem::remove(tmp / "spool/seq");
  SECTION("a FIFO") { REQUIRE(::mkfifo((tmp / "spool/seq").c_str(), 0660) == 0); }
  SECTION("a symlink") { std::filesystem::create_symlink(tmp / "elsewhere", tmp / "spool/seq"); }
  StderrCapture err(tmp / "stderr.txt");
  auto queued = spool.enqueue(sample());
  REQUIRE(queued);
  CHECK(queued->id == 2);
  CHECK_THAT(err.text(), Catch::Contains((tmp / "spool/seq").string()));
  CHECK(std::filesystem::is_regular_file(std::filesystem::symlink_status(tmp / "spool/seq")));
  CHECK_FALSE(std::filesystem::exists(tmp / "elsewhere"));
}

TEST_CASE("A job log that a pusher made before the job started is moved aside") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  std::filesystem::path log = spool.log_path(7);
  SECTION("a FIFO, which would block the daemon") { REQUIRE(::mkfifo(log.c_str(), 0660) == 0); }
  SECTION("a link, which the daemon would write through") {
    spit(tmp / "target", "precious\n");
    std::filesystem::create_symlink(tmp / "target", log);
  }
  SECTION("a folder") { std::filesystem::create_directory(log); }
  StderrCapture err(tmp / "stderr.txt");
  UniqueFd fd = open_job_log(log);
  REQUIRE(fd);
  REQUIRE(::write(fd.get(), "line\n", 5) == 5);
  CHECK_THAT(err.text(), Catch::Contains(log.string()) && Catch::Contains("moved it to"));
  CHECK(slurp(log) == "line\n");
  CHECK(std::filesystem::exists(std::filesystem::symlink_status(tmp / "spool/bad/7.log")));
  if (std::filesystem::exists(tmp / "target")) CHECK(slurp(tmp / "target") == "precious\n");
}

TEST_CASE("A job log is read without blocking on a FIFO") {
  TempDir tmp;
  Spool spool(tmp / "spool");
  std::filesystem::path log = spool.log_path(7);
  CHECK_FALSE(open_job_log_for_reading(log));
  REQUIRE(::mkfifo(log.c_str(), 0660) == 0);
  CHECK_FALSE(open_job_log_for_reading(log));
  std::filesystem::remove(log);
  spit(log, "x\n");
  CHECK(open_job_log_for_reading(log));
}
