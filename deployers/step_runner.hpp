#pragma once
// Runs the commands an administrator configured for an environment (before,
// after, health, run) the same way for every deployer: argv only, `{release}`
// replaced, the PUSHGATE_* variables and the environment's env: and
// secrets: set, the release folder as working folder, and the command line
// and its output written to the job's log with secret values hidden.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/process.hpp"
#include "core/util/redactor.hpp"
#include "deployers/deployer.hpp"

namespace pushgate {

// The release a command is run for.
struct StepContext {
  std::filesystem::path release_dir;  // PUSHGATE_RELEASE_DIR, `{release}`, working folder
  std::string commit;                 // PUSHGATE_COMMIT
  std::string previous_commit;        // PUSHGATE_PREVIOUS_COMMIT, "" when there was none
};

class StepRunner {
 public:
  // `runner` and `request` must outlive the StepRunner. `host` is the host
  // the steps are for, for deployers with several (PUSHGATE_HOST, and
  // `{host}` in arguments and health URLs); "" for targets on the server.
  StepRunner(ProcessRunner& runner, const DeployRequest& request, std::string host = "");

  // Writes `line` to the job's log (redacted).
  void note(std::string_view line) const;

  // Runs one command of step `step` ("before", "after", "run", ...).
  // Returns nullopt when it succeeded, else why not, ready for a message:
  // "before command 'check-config' failed: exit status 1".
  std::optional<std::string> run(std::string_view step, const std::vector<std::string>& argv,
                                 const StepContext& context, std::chrono::milliseconds timeout) const;

  // Runs `commands` in order, stopping at the first failure (its reason).
  std::optional<std::string> run_all(std::string_view step, const std::vector<std::vector<std::string>>& commands,
                                     const StepContext& context, std::chrono::milliseconds timeout) const;

  // Runs the health check (its command, or a GET of its URL with `{host}`
  // replaced) until it passes, at most `health.retries`
  // times, `health.interval` apart; each try is logged. nullopt when it
  // passed, else why not. Safe to call from several threads at once when the
  // request's log is.
  std::optional<std::string> check_health(const HealthCheck& health, const StepContext& context) const;

 private:
  // One try of the health check; nullopt when it passed, else why not.
  std::optional<std::string> try_health(const HealthCheck& health, const StepContext& context,
                                        std::string_view step) const;
  ProcessSpec spec(const std::vector<std::string>& argv, const StepContext& context,
                   std::chrono::milliseconds timeout) const;

  ProcessRunner& m_runner;
  const DeployRequest& m_request;
  std::string m_host;
  LineSink m_log;
};

// `argv` as a person would type it into a shell, quoted where needed; for
// logs only, never for running.
std::string display_command(const std::vector<std::string>& argv);

}  // namespace pushgate
