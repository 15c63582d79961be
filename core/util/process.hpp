#pragma once
// Running the commands administrators configure: argv vectors, never a shell,
// with a timeout and their output captured line by line.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pushgate {

using LineSink = std::function<void(std::string_view line)>;

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
  // Variables set on top of a small base environment (PATH, HOME, LANG, USER).
  std::vector<std::pair<std::string, std::string>> env;
  std::filesystem::path cwd;      // empty: the daemon's working directory
  std::chrono::milliseconds timeout{60'000};
  // Where stderr's lines go when set; otherwise they go with stdout's to
  // run()'s `output` (a command whose stdout is data keeps its warnings apart).
  LineSink error_output{};
  // stdout goes to `output` in pieces as it arrives, not split into lines:
  // for data (a JSON document of megabytes on one line) that must stay whole.
  bool raw_output = false;
};

struct ProcessResult {
  int exit_code = -1;      // the exit status, or -1 when it did not exit normally
  int signal = 0;          // the signal that ended it, 0 when it exited
  bool timed_out = false;  // killed (with its process group) at the timeout
  std::string error;       // why it could not start, "" when it did
  // How long it ran; the timeout itself when timed_out.
  std::chrono::milliseconds elapsed{0};
  bool ok() const { return error.empty() && !timed_out && exit_code == 0; }
  // "exit status 3", "timed out after 30s", "cannot run 'x': No such file", ...
  std::string describe() const;
};

// The seam between deployers and the operating system: unit tests record
// what would run, the daemon runs it for real.
class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs `spec` to completion; each line of its stdout and stderr goes to
  // `output` as it arrives. Never throws for failures of the command itself.
  virtual ProcessResult run(const ProcessSpec& spec, const LineSink& output) = 0;
  // Like run(), with the file `input` as the command's standard input (for
  // tools that read what they check there: ssh-keygen -Y verify). Runners
  // that cannot give input return a result whose `error` says so.
  virtual ProcessResult run_with_input(const ProcessSpec& spec, const std::filesystem::path& input,
                                       const LineSink& output);
};

// Runs commands with Boost.Process in their own process group, so a timeout
// kills whatever they started too (SIGTERM, then SIGKILL after a short
// grace). The child gets no stdin (but run_with_input's) and no other open descriptor of the
// daemon. run() waits for the command and for its output to close, never
// longer than the timeout: a background process that keeps the output open
// after the command exited is stopped at the timeout (timed_out).
class SystemProcessRunner : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec& spec, const LineSink& output) override;
  ProcessResult run_with_input(const ProcessSpec& spec, const std::filesystem::path& input,
                               const LineSink& output) override;
};

}  // namespace pushgate
