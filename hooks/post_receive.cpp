#include "hooks/post_receive.hpp"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <optional>

#include "core/jobs/control_client.hpp"
#include "core/config/daemon_config.hpp"
#include "core/jobs/job.hpp"
#include "core/git/push_options.hpp"
#include "core/jobs/pusher.hpp"
#include "core/jobs/spool.hpp"
#include "hooks/hook_file.hpp"

namespace pushgate {

namespace {

// A running daemon answers within microseconds; a stopped or wedged one must
// be told apart from it within seconds, and must not hold the push.
constexpr std::chrono::milliseconds k_ping_timeout{2000};


std::string format_duration(std::chrono::milliseconds d) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s % 60 == 0 && s >= 60) return fmt::format("{} min", s / 60);
  return fmt::format("{} s", s);
}

// Every line of a multi-line message gets the "pushgate: " prefix the pusher
// recognises.
void print_error(std::ostream& out, const std::string& message) {
  std::size_t start = 0;
  for (;;) {
    std::size_t nl = message.find('\n', start);
    out << "pushgate: error: " << message.substr(start, nl - start) << '\n';
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
}

void follow(const DaemonConfig& daemon, const std::string& spool_id, const std::vector<Job>& jobs,
            std::ostream& out) {
  auto deadline = ControlClient::Clock::now() + daemon.wait_limit;
  for (const Job& job : jobs) {
    auto client = ControlClient::connect(daemon.socket, k_ping_timeout);
    if (!client) {
      out << fmt::format("pushgate: lost pushgated while waiting; job {} goes on without us\n", job.id);
      return;
    }
    auto result = client->follow(
        spool_id, job.id,
        [&](std::string_view line) { out << fmt::format("[{}] {}\n", job.env, line) << std::flush; }, deadline);
    switch (result.end) {
      case ControlClient::FollowEnd::done:
        out << fmt::format("pushgate: {}: {}{}{}\n", job.env, result.outcome.status,
                           result.outcome.message.empty() ? "" : ": ", result.outcome.message);
        break;
      case ControlClient::FollowEnd::timed_out:
        out << fmt::format("pushgate: stopped waiting after {} (wait_limit); job {} goes on: "
                           "`pushgate status` shows how it ends\n",
                           format_duration(daemon.wait_limit), job.id);
        return;
      case ControlClient::FollowEnd::silent:
        out << fmt::format("pushgate: stopped waiting: {}; job {} goes on when it answers again: "
                           "`pushgate status` shows how it ends\n",
                           result.error, job.id);
        return;
      case ControlClient::FollowEnd::lost:
        out << fmt::format("pushgate: cannot follow job {}: {}\n", job.id, result.error);
        return;
    }
  }
}

class PostReceive {
 public:
  PostReceive(std::ostream& out, const PostReceiveOptions& options) : m_out(out), m_options(options) {}

  void run(std::istream& input) {
    std::string text{std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
    auto updates = parse_ref_updates(text);
    if (!updates) return print_error(m_out, updates.error().message);
    std::string git_dir = repo_identity(hook_git_dir());
    auto config = load_repo_config(git_dir);
    if (!config) {
      print_error(m_out, config.error().message);
      m_out << "pushgate: the push landed, but nothing was queued for deploy until pushgate.yaml is fixed\n";
      return;
    }
    auto targets = deploy_targets(*updates, *config);
    if (targets.empty()) return;

    auto daemon = find_daemon_config(m_options.daemon_config, ConfigTrust::for_repository(git_dir),
                                     ConfigSearch::argument_system);
    if (!daemon) {
      print_error(m_out, daemon.error().message);
      m_out << "pushgate: the push landed, but no deploy was queued\n";
      return;
    }
    // Asked first, so the jobs go to the spool the running daemon reads, and
    // a wedged daemon is found out now rather than by a wait that never ends.
    DaemonPing found = ping(daemon->socket, k_ping_timeout);
    std::filesystem::path spool_dir = daemon->spool;
    if (found.state == DaemonPing::State::answered && !found.spool.empty() && found.spool != spool_dir) {
      m_out << fmt::format("pushgate: pushgated serves the spool {}, not {} as {} says; queueing there "
                           "(restart pushgated to use the new spool)\n",
                           found.spool, spool_dir.string(), daemon->source.string());
      spool_dir = found.spool;
    }
    std::optional<Spool> spool;
    std::vector<Job> jobs = enqueue(spool, spool_dir, git_dir, targets);
    if (jobs.empty()) return;
    switch (found.state) {
      case DaemonPing::State::absent:
        m_out << "pushgate: pushgated is not running; the deploy starts when it does\n";
        return;
      case DaemonPing::State::silent:
        m_out << fmt::format("pushgate: pushgated does not answer on {} ({}); the deploy starts when it does\n",
                             daemon->socket.string(),
                             found.error.empty() ? "stopped or wedged" : found.error);
        return;
      case DaemonPing::State::answered:
        if (PushOptions::from_environment().has("pushgate.wait")) follow(*daemon, spool->id(), jobs, m_out);
        return;
    }
  }

 private:
  std::vector<Job> enqueue(std::optional<Spool>& spool, const std::filesystem::path& spool_dir,
                           const std::string& git_dir, const std::vector<DeployTarget>& targets) {
    std::vector<Job> jobs;
    try {
      spool.emplace(spool_dir);
    } catch (const Failure& e) {
      print_error(m_out, e.what());
      m_out << "pushgate: the push landed, but no deploy was queued\n";
      return jobs;
    }
    std::string pusher = pusher_identity(m_options.identity_from);
    for (const auto& t : targets) {
      Job job;
      job.kind = JobKind::push;
      job.repo = git_dir;
      job.env = t.env->name;
      job.ref = t.update->ref;
      job.commit = t.update->new_oid;
      job.pusher = pusher;
      auto queued = spool->enqueue(std::move(job));
      if (!queued) {
        print_error(m_out, fmt::format("cannot queue the deploy to {}: {}", t.env->name, queued.error().message));
        continue;
      }
      m_out << fmt::format("pushgate: queued {} (job {})\n", describe_job(*queued), queued->id);
      jobs.push_back(std::move(*queued));
    }
    return jobs;
  }

  std::ostream& m_out;
  const PostReceiveOptions& m_options;
};

}  // namespace

std::vector<DeployTarget> deploy_targets(const std::vector<RefUpdate>& updates, const RepoConfig& config) {
  std::vector<DeployTarget> targets;
  for (const auto& update : updates) {
    if (update.change() == RefChange::remove || !update.is_branch()) continue;
    for (const auto& env : config.environments)
      if (env.branch == update.branch()) targets.push_back({&update, &env});
  }
  return targets;
}

void run_post_receive(std::istream& input, std::ostream& out, const PostReceiveOptions& options) {
  try {
    PostReceive(out, options).run(input);
  } catch (const std::exception& e) {
    print_error(out, e.what());
  }
}

}  // namespace pushgate
