// The secret scanner's rate for bench/secret_scan.sh: every file under a
// folder is read into memory, then scanned whole (every line counts as
// added) on one thread; only the scan is timed, in wall time and in the
// thread's CPU time (which a busy machine does not inflate).
//
//   secret_scan DIR     prints: files=F bytes=B findings=N seconds=S cpu_seconds=C

#include <time.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_files.hpp"
#include "core/config/repo_config.hpp"
#include "validators/secrets/secret_check.hpp"

namespace {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pushgate;
  if (argc != 2) {
    std::fprintf(stderr, "usage: secret_scan DIR\n");
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> files;
  std::size_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1])) {
    if (!entry.is_regular_file()) continue;
    files.emplace_back(entry.path().string(), bench::read_file(entry.path()));
    bytes += files.back().second.size();
  }
  ValidateSettings settings;
  secrets::SecretCheck check(settings, nullptr);
  secrets::SecretReport report;
  auto start = bench::Clock::now();
  double cpu_start = thread_cpu_seconds();
  for (const auto& [path, text] : files) check.check(path, text, nullptr, "", report);
  double cpu = thread_cpu_seconds() - cpu_start;
  double seconds = bench::ms_since(start) / 1000;
  std::printf("files=%zu bytes=%zu findings=%zu seconds=%.3f cpu_seconds=%.3f\n", files.size(), bytes,
              report.findings.size() + report.exempted.size(), seconds, cpu);
}
