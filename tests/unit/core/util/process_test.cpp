#include "core/util/process.hpp"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using namespace std::chrono_literals;

namespace {

struct Captured {
  ProcessResult result;
  std::vector<std::string> lines;
  std::chrono::milliseconds wall{0};
};

Captured run(ProcessSpec spec) {
  Captured c;
  auto start = std::chrono::steady_clock::now();
  SystemProcessRunner runner;
  c.result = runner.run(spec, [&](std::string_view line) { c.lines.emplace_back(line); });
  c.wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return c;
}

ProcessSpec shell(const std::string& script, std::chrono::milliseconds timeout = 10s) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.timeout = timeout;
  return spec;
}

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// True while `pid` runs (a zombie waiting for init counts as ended).
bool running(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  std::string status = test::slurp("/proc/" + std::to_string(pid) + "/status");
  return status.find("State:\tZ") == std::string::npos;
}

}  // namespace

TEST_CASE("SystemProcessRunner captures stdout and stderr line by line") {
  auto c = run(shell("echo out; echo err >&2; printf 'no newline'"));
  CHECK(c.result.ok());
  CHECK(c.result.exit_code == 0);
  CHECK(c.result.describe() == "exit status 0");
  CHECK(contains(c.lines, "out"));
  CHECK(contains(c.lines, "err"));
  CHECK(contains(c.lines, "no newline"));
  CHECK(c.lines.size() == 3);
}

TEST_CASE("SystemProcessRunner sends stderr apart when the spec asks for it") {
  std::vector<std::string> errors;
  ProcessSpec spec = shell("echo '{\"a\": 1}'; echo 'Warning: deprecated' >&2");
  spec.error_output = [&](std::string_view line) { errors.emplace_back(line); };
  auto c = run(spec);
  CHECK(c.result.ok());
  CHECK(c.lines == std::vector<std::string>{"{\"a\": 1}"});
  CHECK(errors == std::vector<std::string>{"Warning: deprecated"});
}

TEST_CASE("SystemProcessRunner passes stdout on whole when the spec asks for raw output") {
  std::string out;
  ProcessSpec spec = shell("head -c 200000 /dev/zero | tr '\\0' x; printf '\\nend\\n'");
  spec.raw_output = true;
  SystemProcessRunner runner;
  auto result = runner.run(spec, [&](std::string_view piece) { out.append(piece); });
  CHECK(result.ok());
  CHECK(out == std::string(200000, 'x') + "\nend\n");
}

TEST_CASE("SystemProcessRunner reports how a command ended") {
  SECTION("an exit status") {
    auto c = run(shell("exit 3"));
    CHECK_FALSE(c.result.ok());
    CHECK(c.result.exit_code == 3);
    CHECK(c.result.describe() == "exit status 3");
  }
  SECTION("a signal") {
    auto c = run(shell("kill -9 $$"));
    CHECK_FALSE(c.result.ok());
    CHECK(c.result.exit_code == -1);
    CHECK(c.result.signal == 9);
    CHECK_THAT(c.result.describe(), Catch::StartsWith("killed by signal 9"));
  }
  SECTION("a program that does not exist") {
    ProcessSpec spec;
    spec.argv = {"pushgate-no-such-program-xyz"};
    auto c = run(spec);
    CHECK_FALSE(c.result.ok());
    CHECK_THAT(c.result.describe(),
               Catch::StartsWith("cannot run 'pushgate-no-such-program-xyz': not found in PATH"));
  }
  SECTION("a working folder that does not exist") {
    auto spec = shell("true");
    spec.cwd = "/nonexistent/pushgate";
    auto c = run(spec);
    CHECK_THAT(c.result.describe(), Catch::Contains("working folder '/nonexistent/pushgate' does not exist"));
  }
}

TEST_CASE("SystemProcessRunner passes argv, environment and folder verbatim, without a shell") {
  test::TempDir dir;
  std::string hostile = "$(touch " + (dir / "pwned").string() + "); rm -rf x `id` 'q' \"d\" \\ *";
  ProcessSpec spec;
  spec.argv = {"/usr/bin/printf", "[%s]\\n", hostile, "two words", ""};
  spec.env = {{"PUSHGATE_VALUE", hostile}};
  spec.cwd = dir.path();
  auto c = run(spec);
  REQUIRE(c.result.ok());
  CHECK(c.lines == std::vector<std::string>{"[" + hostile + "]", "[two words]", "[]"});
  CHECK_FALSE(std::filesystem::exists(dir / "pwned"));

  auto env = run([&] {
    ProcessSpec s = shell("printf '%s\\n' \"$PUSHGATE_VALUE\"; pwd; echo \"leak=$PUSHGATE_TEST_LEAK\"");
    s.env = spec.env;
    s.cwd = dir.path();
    ::setenv("PUSHGATE_TEST_LEAK", "yes", 1);
    return s;
  }());
  ::unsetenv("PUSHGATE_TEST_LEAK");
  REQUIRE(env.result.ok());
  CHECK(env.lines.at(0) == hostile);
  CHECK(env.lines.at(1) == std::filesystem::canonical(dir.path()).string());
  CHECK(env.lines.at(2) == "leak=");  // only a small base environment is inherited
  CHECK_FALSE(std::filesystem::exists(dir / "pwned"));
}

TEST_CASE("SystemProcessRunner gives the child no descriptor of the daemon but its output") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  // Without O_CLOEXEC, as much library code opens descriptors.
  REQUIRE(::dup2(fds[1], 100) == 100);
  auto c = run(shell("ls /proc/self/fd"));
  ::close(100);
  ::close(fds[0]);
  ::close(fds[1]);
  REQUIRE(c.result.ok());
  // 0, 1, 2 and the folder ls itself reads.
  CHECK(c.lines.size() == 4);
  CHECK_FALSE(contains(c.lines, "100"));
}

TEST_CASE("SystemProcessRunner kills the whole process group at the timeout") {
  test::TempDir dir;
  std::string pids = (dir / "pids").string();
  SECTION("a command and what it started in the background") {
    auto c = run(shell("sleep 30 & echo $! > " + pids + "; sleep 30 & echo $! >> " + pids + "; wait", 300ms));
    CHECK(c.result.timed_out);
    CHECK_FALSE(c.result.ok());
    CHECK(c.result.describe() == "timed out after 300ms");
    CHECK(c.wall < 5s);
    std::this_thread::sleep_for(100ms);
    std::string text = test::slurp(pids);
    std::size_t at = 0;
    int count = 0;
    while ((at = text.find('\n')) != std::string::npos) {
      CHECK_FALSE(running(std::stoi(text.substr(0, at))));
      text.erase(0, at + 1);
      ++count;
    }
    CHECK(count == 2);
  }
  SECTION("a command that ignores SIGTERM gets SIGKILL after a grace") {
    auto c = run(shell("trap '' TERM; echo ready; while :; do sleep 1; done", 200ms));
    CHECK(c.result.timed_out);
    CHECK(c.wall >= 2s);
    CHECK(c.wall < 6s);
    CHECK(contains(c.lines, "ready"));
  }
}

TEST_CASE("SystemProcessRunner does not hang on output kept open after the command exits") {
  auto c = run(shell("sleep 30 & echo started", 500ms));
  CHECK(c.wall < 4s);
  CHECK(c.result.exit_code == 0);
  CHECK(c.result.timed_out);
  CHECK(contains(c.lines, "started"));
  CHECK(std::any_of(c.lines.begin(), c.lines.end(),
                    [](const std::string& l) { return l.find("kept its output open") != std::string::npos; }));
}

TEST_CASE("SystemProcessRunner runs commands from several threads without mixing them up") {
  std::vector<Captured> results(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(
        [&, i] { results[i] = run(shell(i == 0 ? "sleep 2; echo 0" : "echo " + std::to_string(i))); });
  for (auto& t : threads) t.join();
  for (int i = 0; i < 4; ++i) {
    CHECK(results[i].result.ok());
    CHECK(results[i].lines == std::vector<std::string>{std::to_string(i)});
    // A quick command is not held up by the slow one's pipes.
    if (i != 0) CHECK(results[i].wall < 1500ms);
  }
}
