#include "deployers/step_runner.hpp"

#include <fmt/format.h>

#include <thread>

#include "core/git/git.hpp"
#include "core/util/http_url.hpp"
#include "core/util/placeholder.hpp"
#include "deployers/http_health.hpp"

namespace pushgate {

namespace {

std::vector<std::string> secret_values(const Environment& env) {
  std::vector<std::string> values;
  for (const auto& [name, value] : env.secrets) values.push_back(value);
  return values;
}

}  // namespace

std::string display_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    bool plain = !arg.empty() && arg.find_first_not_of(
                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789_-./:=@%+,{}") == std::string::npos;
    std::string quoted = "'";
    for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += (out.empty() ? "" : " ") + (plain ? arg : quoted + "'");
  }
  return out;
}

StepRunner::StepRunner(ProcessRunner& runner, const DeployRequest& request, std::string host)
    : m_runner(runner),
      m_request(request),
      m_host(std::move(host)),
      m_log(Redactor(secret_values(*request.env)).wrap(request.log)) {}

void StepRunner::note(std::string_view line) const {
  if (m_log) m_log(line);
}

ProcessSpec StepRunner::spec(const std::vector<std::string>& argv, const StepContext& context,
                             std::chrono::milliseconds timeout) const {
  const Job* job = m_request.job;
  std::string release = context.release_dir.string();
  ProcessSpec spec;
  for (const auto& arg : argv) {
    std::string value = replace_placeholder(arg, k_release_placeholder, release);
    // Without a host, `{host}` means nothing here and stays as written.
    spec.argv.push_back(m_host.empty() ? value : replace_placeholder(value, k_host_placeholder, m_host));
  }
  std::string repo = job ? job->repo : (m_request.repo ? git::git_dir(m_request.repo) : "");
  spec.env = {{"PUSHGATE_REPO", repo},
              {"PUSHGATE_ENV", m_request.env->name},
              {"PUSHGATE_COMMIT", context.commit},
              {"PUSHGATE_PREVIOUS_COMMIT", context.previous_commit},
              {"PUSHGATE_PUSHER", job ? job->pusher : ""},
              {"PUSHGATE_RELEASE_DIR", release},
              {"PUSHGATE_JOB", job ? std::to_string(job->id) : ""}};
  if (!m_host.empty()) spec.env.emplace_back("PUSHGATE_HOST", m_host);
  spec.env.insert(spec.env.end(), m_request.env->variables.begin(), m_request.env->variables.end());
  spec.env.insert(spec.env.end(), m_request.env->secrets.begin(), m_request.env->secrets.end());
  spec.cwd = context.release_dir;
  spec.timeout = timeout;
  return spec;
}

std::optional<std::string> StepRunner::run(std::string_view step, const std::vector<std::string>& argv,
                                           const StepContext& context, std::chrono::milliseconds timeout) const {
  ProcessSpec s = spec(argv, context, timeout);
  note(fmt::format("pushgate: {}: $ {}", step, display_command(s.argv)));
  ProcessResult result = m_runner.run(s, m_log);
  if (result.ok()) return std::nullopt;
  std::string why = fmt::format("{} command '{}' failed: {}", step, display_command(s.argv), result.describe());
  note("pushgate: " + why);
  return why;
}

std::optional<std::string> StepRunner::run_all(std::string_view step,
                                               const std::vector<std::vector<std::string>>& commands,
                                               const StepContext& context,
                                               std::chrono::milliseconds timeout) const {
  for (const auto& argv : commands)
    if (auto why = run(step, argv, context, timeout)) return why;
  return std::nullopt;
}

std::optional<std::string> StepRunner::try_health(const HealthCheck& health, const StepContext& context,
                                                  std::string_view step) const {
  if (!health.command.empty()) return run(step, health.command, context, health.timeout);
  std::string url = replace_host(health.http, m_host);
  note(fmt::format("pushgate: {}: GET {}", step, url));
  auto why = probe_http(url, health.expect, health.timeout);
  if (why) note(fmt::format("pushgate: {}: {}", step, *why));
  return why;
}

std::optional<std::string> StepRunner::check_health(const HealthCheck& health, const StepContext& context) const {
  int tries = std::max(1, health.retries);
  std::optional<std::string> why;
  for (int attempt = 1; attempt <= tries; ++attempt) {
    if (attempt > 1) std::this_thread::sleep_for(health.interval);
    why = try_health(health, context, fmt::format("health {}/{}", attempt, tries));
    if (!why) return std::nullopt;
  }
  return fmt::format("health check failed {} time{} in a row (last: {})", tries, tries == 1 ? "" : "s", *why);
}

}  // namespace pushgate
