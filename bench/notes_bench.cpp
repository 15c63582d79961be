// The pushgate side of bench/notes_write.sh: appends one deploy record to the
// note on each target commit with append_note, in one process, as pushgated
// does, and prints how long each append took.
//
//   notes_bench REPO NOTES_REF TARGETS_FILE
//
// TARGETS_FILE holds one commit id per line. The first append is a warm-up
// and is not printed; each later one prints "WALL CPU" on a line of its own:
// its wall time and the CPU time (user + system) it took, in microseconds.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/records/deploy_record.hpp"
#include "core/git/git.hpp"
#include "core/jobs/job.hpp"
#include "core/records/notes.hpp"

namespace {

long long cpu_us() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto us = [](const timeval& t) { return static_cast<long long>(t.tv_sec) * 1'000'000 + t.tv_usec; };
  return us(usage.ru_utime) + us(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pushgate;
  if (argc != 4) {
    std::fprintf(stderr, "usage: notes_bench REPO NOTES_REF TARGETS_FILE\n");
    return 2;
  }
  try {
    git::Library library;
    git::RepositoryPtr repo = git::open(argv[1]).value();
    std::vector<git_oid> targets;
    std::ifstream in(argv[3]);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) targets.push_back(git::parse_oid(line).value());

    for (std::size_t i = 0; i < targets.size(); ++i) {
      DeployRecord record{utc_now(), "bench", DeployStatus::succeeded,
                          {{"job", std::to_string(i + 1)}, {"duration_ms", "840"}, {"pusher", "alice"}}};
      std::string line = format_record(record) + "\n";
      auto start = std::chrono::steady_clock::now();
      long long cpu_start = cpu_us();
      append_note(repo.get(), argv[2], targets[i], line).value();
      long long cpu = cpu_us() - cpu_start;
      auto wall =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
      if (i > 0) std::printf("%lld %lld\n", static_cast<long long>(wall.count()), cpu);
    }
  } catch (const Failure& failure) {
    std::fprintf(stderr, "notes_bench: error: %s\n", failure.what());
    return 1;
  }
  return 0;
}
