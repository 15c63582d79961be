#include "cli/job_queue.hpp"

#include <fmt/format.h>

#include <iostream>

#include "core/jobs/control_client.hpp"
#include "core/config/daemon_config.hpp"
#include "core/jobs/manual_job.hpp"
#include "core/jobs/pusher.hpp"
#include "core/jobs/spool.hpp"

namespace pushgate::cli {

namespace {

constexpr std::chrono::milliseconds k_connect_timeout{1000};

}  // namespace

ExitCode follow_job_output(const DaemonConfig& daemon, const std::string& spool_id, std::uint64_t job,
                           JobKind kind) {
  auto client = ControlClient::connect(daemon.socket, k_connect_timeout);
  if (!client) {
    std::cerr << fmt::format("pushgate: error: pushgated is not running (no answer on {}); job {} waits for it\n",
                             daemon.socket.string(), job);
    return ExitCode::failure;
  }
  auto result = client->follow(
      spool_id, job, [](std::string_view line) { std::cout << line << '\n' << std::flush; },
      ControlClient::Clock::now() + daemon.wait_limit);
  switch (result.end) {
    case ControlClient::FollowEnd::done:
      std::cout << fmt::format("pushgate: job {} {}{}{}\n", job, result.outcome.status,
                               result.outcome.message.empty() ? "" : ": ", result.outcome.message);
      return result.outcome.status == (kind == JobKind::rollback ? "rolled-back" : "succeeded")
                 ? ExitCode::ok
                 : ExitCode::findings;
    case ControlClient::FollowEnd::timed_out:
      std::cerr << fmt::format("pushgate: stopped waiting for job {} (wait_limit); it goes on\n", job);
      return ExitCode::failure;
    case ControlClient::FollowEnd::silent:
      std::cerr << fmt::format("pushgate: error: {}; job {} goes on when it answers again\n", result.error, job);
      return ExitCode::failure;
    case ControlClient::FollowEnd::lost:
      break;
  }
  std::cerr << fmt::format("pushgate: error: cannot follow job {}: {}\n", job, result.error);
  return ExitCode::failure;
}

ExitCode queue_job(JobKind kind, const QueueArgs& args) {
  Job job = make_manual_job(kind, args.repo, args.env, args.rev, pusher_identity("")).value();
  DaemonConfig daemon = find_daemon_config(args.daemon_config, ConfigTrust::for_repository(job.repo)).value();
  Spool spool(daemon.spool);
  Job queued = spool.enqueue(std::move(job)).value();
  std::cout << fmt::format("pushgate: queued {} (job {})\n", describe_job(queued), queued.id);
  if (!ping_daemon(daemon.socket, k_connect_timeout)) {
    std::cout << "pushgate: pushgated is not running; the job starts when it does\n";
    return args.wait ? ExitCode::failure : ExitCode::ok;
  }
  return args.wait ? follow_job_output(daemon, spool.id(), queued.id, kind) : ExitCode::ok;
}

}  // namespace pushgate::cli
