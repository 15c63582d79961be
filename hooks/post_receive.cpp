#include "hooks/post_receive.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <optional>

#include "core/control_client.hpp"
#include "core/daemon_config.hpp"
#include "core/job.hpp"
#include "core/push_options.hpp"
#include "core/pusher.hpp"
#include "core/spool.hpp"

namespace pushgate {

namespace {

// A running daemon answers within microseconds; a hung one must not hold the push.
constexpr std::chrono::milliseconds k_ping_timeout{300};


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

void follow(const DaemonConfig& daemon, const std::vector<Job>& jobs, std::ostream& out) {
  auto deadline = ControlClient::Clock::now() + daemon.wait_limit;
  for (const Job& job : jobs) {
    auto client = ControlClient::connect(daemon.socket, k_ping_timeout);
    if (!client) {
      out << fmt::format("pushgate: lost pushgated while waiting; job {} goes on without us\n", job.id);
      return;
    }
    auto result = client->follow(
        job.id, [&](std::string_view line) { out << fmt::format("[{}] {}\n", job.env, line) << std::flush; },
        deadline);
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
      case ControlClient::FollowEnd::lost:
        out << fmt::format("pushgate: cannot follow job {}: {}\n", job.id, result.error);
        return;
    }
  }
}

class PostReceive {
 public:
  explicit PostReceive(std::ostream& out) : m_out(out) {}

  void run(std::istream& input) {
    std::string text{std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
    auto updates = parse_ref_updates(text);
    if (!updates) return print_error(m_out, updates.error().message);
    const char* git_dir_env = std::getenv("GIT_DIR");
    std::string git_dir = repo_identity(git_dir_env && *git_dir_env ? git_dir_env : ".");
    auto config = load_repo_config(git_dir);
    if (!config) {
      print_error(m_out, config.error().message);
      m_out << "pushgate: the push landed, but nothing was queued for deploy until pushgate.yaml is fixed\n";
      return;
    }
    auto targets = deploy_targets(*updates, *config);
    if (targets.empty()) return;

    auto daemon = find_daemon_config("");
    if (!daemon) {
      print_error(m_out, daemon.error().message);
      m_out << "pushgate: the push landed, but no deploy was queued\n";
      return;
    }
    std::vector<Job> jobs = enqueue(*daemon, git_dir, targets);
    if (jobs.empty()) return;
    // A connection the kernel accepts proves a live listener; waiting for a
    // ping's reply would wait behind the daemon's intake of these very jobs.
    bool running = ControlClient::connect(daemon->socket, k_ping_timeout).has_value();
    if (!running) m_out << "pushgate: pushgated is not running; the deploy starts when it does\n";
    if (running && PushOptions::from_environment().has("pushgate.wait")) follow(*daemon, jobs, m_out);
  }

 private:
  std::vector<Job> enqueue(const DaemonConfig& daemon, const std::string& git_dir,
                           const std::vector<DeployTarget>& targets) {
    std::vector<Job> jobs;
    std::optional<Spool> spool;
    try {
      spool.emplace(daemon.spool);
    } catch (const Failure& e) {
      print_error(m_out, e.what());
      m_out << "pushgate: the push landed, but no deploy was queued\n";
      return jobs;
    }
    std::string pusher = pusher_identity();
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

void run_post_receive(std::istream& input, std::ostream& out) {
  try {
    PostReceive(out).run(input);
  } catch (const std::exception& e) {
    print_error(out, e.what());
  }
}

}  // namespace pushgate
