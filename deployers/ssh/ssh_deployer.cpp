#include "deployers/ssh/ssh_deployer.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <map>

#include "core/jobs/job.hpp"
#include "core/util/parallel_for.hpp"
#include "deployers/ssh/host_drift.hpp"

namespace pushgate::ssh {

namespace {

using State = HostRollout::State;

std::string account_name() {
  const passwd* pw = ::getpwuid(::geteuid());
  return pw && pw->pw_name ? pw->pw_name : "";
}

std::vector<HostSpec> host_specs(const Environment& env) {
  const SshDeployerSettings& s = env.deployer.ssh;
  std::vector<HostSpec> out;
  for (const auto& h : s.hosts) {
    HostSpec spec{h.host, h.port ? h.port : s.port, h.user.empty() ? s.user : h.user,
                  h.dir.empty() ? env.deployer.dir : h.dir};
    if (spec.user.empty()) spec.user = account_name();
    out.push_back(std::move(spec));
  }
  return out;
}

// `message` without a leading "user@host:port: ", which the summary says once.
std::string without_host(const std::string& message, const HostSpec& host) {
  std::string prefix = host.label() + ": ";
  return message.starts_with(prefix) ? message.substr(prefix.size()) : message;
}

// Runs fn(i) for every i in `items`, at most `parallel` at once.
void for_each_parallel(const std::vector<std::size_t>& items, std::size_t parallel,
                       const std::function<void(std::size_t)>& fn) {
  parallel_for(items.size(), parallel, [&](std::size_t i) {
    fn(items[i]);
    return true;
  });
}

std::vector<std::size_t> all_of(std::size_t n) {
  std::vector<std::size_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

// The job's log as many hosts write to it at once: a line at a time, each
// saying which host it is about.
LineSink host_log(const LineSink& log, std::mutex& mutex, std::string label) {
  return [&log, &mutex, label = std::move(label)](std::string_view line) {
    std::lock_guard lock(mutex);
    if (log) log(fmt::format("[{}] {}", label, line));
  };
}

// `fn` on every host's release folder, `parallel` hosts at once; a host
// that cannot be reached gives its Error.
template <class T>
std::vector<std::optional<Expected<T>>> on_every_host(const std::vector<HostSpec>& hosts, HostConnections& connections,
                                                      const Environment& env,
                                                      const std::function<Expected<T>(RemoteReleaseFolder&)>& fn) {
  std::vector<std::optional<Expected<T>>> out(hosts.size());
  for_each_parallel(all_of(hosts.size()), std::max<std::size_t>(env.deployer.ssh.parallel, 4), [&](std::size_t i) {
    auto connection = connections.get(i);
    if (!connection) {
      out[i].emplace(connection.error());
      return;
    }
    RemoteReleaseFolder folder(**connection, hosts[i].dir, env.deployer.timeout);
    out[i].emplace(fn(folder));
  });
  return out;
}

// What most hosts have live (nullopt entries: hosts not asked). Ties go to
// the newest release: ids sort by time.
std::optional<LiveRelease> most_live(const std::vector<std::optional<std::optional<Release>>>& hosts) {
  std::map<std::string, std::pair<std::size_t, LiveRelease>> votes;
  for (const auto& host : hosts)
    if (host && *host) {
      auto& vote = votes[(*host)->id];
      ++vote.first;
      vote.second = {(*host)->id, (*host)->commit};
    }
  std::optional<LiveRelease> best;
  std::size_t most = 0;
  for (const auto& [id, vote] : votes)
    if (vote.first >= most) {
      most = vote.first;
      best = vote.second;
    }
  return best;
}

}  // namespace

SshDeployer::SshDeployer(Environment env, std::filesystem::path staging)
    : m_env(std::move(env)),
      m_settings{m_env.deployer.ssh.identity, m_env.deployer.ssh.known_hosts, m_env.deployer.ssh.connect_timeout},
      m_hosts(host_specs(m_env)),
      m_connections(m_hosts, m_settings),
      m_staging(std::move(staging)) {
  if (m_hosts.empty()) throw Failure(ErrorCode::config, fmt::format("environment {}: no hosts", m_env.name));
  for (const auto& h : m_hosts)
    if (!h.dir.starts_with('/') || h.dir == "/")
      throw Failure(ErrorCode::config,
                    fmt::format("environment {}: host {} needs an absolute dir of its own", m_env.name, h.label()));
}

DeployOutcome SshDeployer::roll_out(const DeployRequest& request, bool reuse_kept) {
  m_live.reset();
  const SshDeployerSettings& s = m_env.deployer.ssh;
  std::mutex log_mutex;
  auto note = [&](const std::string& line) {
    std::lock_guard lock(log_mutex);
    if (request.log) request.log(line);
  };
  std::vector<std::unique_ptr<HostRollout>> runs;
  for (std::size_t i = 0; i < m_hosts.size(); ++i) {
    DeployRequest own = request;
    own.log = host_log(request.log, log_mutex, m_hosts[i].label());
    runs.push_back(std::make_unique<HostRollout>(m_connections, i, m_hosts[i], m_env, std::move(own)));
  }
  // Whatever happens, the hosts' state is known afterwards without asking again.
  struct Remember {
    const std::vector<std::unique_ptr<HostRollout>>& runs;
    std::optional<std::optional<LiveRelease>>& live;
    ~Remember() {
      std::vector<std::optional<std::optional<Release>>> now;
      for (const auto& run : runs) now.push_back(run->live_now());
      live = most_live(now);
    }
  } remember{runs, m_live};
  ReleaseStager stager(request, m_env, m_staging);

  const std::size_t n = runs.size();
  const std::size_t per_batch = s.batch.of(n, true);
  const std::size_t allowed_down = s.max_unavailable.of(n, false);
  const std::size_t batches = (n + per_batch - 1) / per_batch;
  std::size_t down = 0;
  bool stopped = false;
  for (std::size_t b = 0; b < batches && !stopped; ++b) {
    std::vector<std::size_t> batch;
    for (std::size_t i = b * per_batch; i < std::min(n, (b + 1) * per_batch); ++i) batch.push_back(i);
    note(fmt::format("pushgate: batch {}/{}{}: {} host{}", b + 1, batches, b == 0 && batches > 1 ? " (canary)" : "",
                     batch.size(), batch.size() == 1 ? "" : "s"));
    for_each_parallel(batch, s.parallel, [&](std::size_t i) {
      if (runs[i]->open()) runs[i]->roll_forward(stager, reuse_kept);
    });
    for (std::size_t i : batch) {
      if (runs[i]->state() == State::unreachable) ++down;
      if (runs[i]->state() == State::failed) stopped = true;
    }
    if (down > allowed_down) stopped = true;
  }

  std::map<State, std::size_t> count;
  std::vector<std::string> problems;
  std::size_t was_switched = 0;
  for (const auto& run : runs) {
    ++count[run->state()];
    if (run->switched()) ++was_switched;
    if (run->state() == State::failed || run->state() == State::unreachable)
      problems.push_back(fmt::format("{}: {}{}", run->host().label(),
                                     run->state() == State::unreachable ? "unreachable: " : "",
                                     without_host(run->why(), run->host())));
  }
  DeployOutcome out;
  out.release = request.release_id;
  out.target = fmt::format("{} host{}", n, n == 1 ? "" : "s");
  out.fields = {{"hosts", std::to_string(n)},
                {"ok", std::to_string(count[State::ok])},
                {"failed", count[State::failed] ? std::to_string(count[State::failed]) : ""},
                {"unavailable", count[State::unreachable] ? std::to_string(count[State::unreachable]) : ""},
                {"skipped", count[State::pending] ? std::to_string(count[State::pending]) : ""}};
  std::string summary = fmt::format("hosts={} ok={}", n, count[State::ok]);
  for (auto [state, name] : {std::pair{State::failed, "failed"}, std::pair{State::unreachable, "unavailable"},
                             std::pair{State::pending, "skipped"}})
    if (count[state]) summary += fmt::format(" {}={}", name, count[state]);
  std::string why = problems.empty() ? "" : "; " + fmt::format("{}", fmt::join(problems, "; "));

  if (stopped) {
    std::vector<std::string> stuck;
    std::mutex stuck_mutex;
    for_each_parallel(all_of(n), s.parallel, [&](std::size_t i) {
      if (auto problem = runs[i]->switch_back()) {
        std::lock_guard lock(stuck_mutex);
        stuck.push_back(*problem);
      }
    });
    bool rolled_back = was_switched > 0 && stuck.empty() && !reuse_kept;
    // Hosts that could not be switched back disagree with the rest.
    std::vector<std::string> stuck_hosts;
    for (const auto& run : runs)
      if (run->switched()) stuck_hosts.push_back(run->host().label());
    out.fields.emplace_back("disagree", fmt::format("{}", fmt::join(stuck_hosts, ",")));
    out.status = rolled_back ? DeployStatus::rolled_back : DeployStatus::failed;
    out.message = fmt::format("{} of {} stopped{}{}{}", reuse_kept ? "rollback" : "release " + request.release_id,
                              abbreviate(request.commit), why,
                              was_switched == 0 ? "; nothing was switched"
                                                : fmt::format("; switched {} host{} back", was_switched - stuck.size(),
                                                              was_switched - stuck.size() == 1 ? "" : "s"),
                              stuck.empty() ? "" : fmt::format("; NOT switched back: {}", fmt::join(stuck, "; ")));
    out.message += " (" + summary + ")";
    note("pushgate: " + out.message);
    return out;
  }
  // Hosts left behind (tolerated as unavailable) disagree with the rest.
  std::vector<std::string> behind;
  for (const auto& run : runs)
    if (run->state() != State::ok) behind.push_back(run->host().label());
  out.fields.emplace_back("disagree", fmt::format("{}", fmt::join(behind, ",")));
  out.status = DeployStatus::succeeded;
  out.message = fmt::format("{} of {} is live on {} of {} host{}{} ({})", reuse_kept ? "a release" : "release " + request.release_id,
                            abbreviate(request.commit), count[State::ok], n, n == 1 ? "" : "s", why, summary);
  note("pushgate: " + out.message);
  return out;
}

DeployOutcome SshDeployer::deploy(const DeployRequest& request) { return roll_out(request, false); }

DeployOutcome SshDeployer::rollback(const DeployRequest& request, const std::string& to_commit) {
  DeployRequest target = request;
  if (to_commit.empty()) {
    auto live_now = live();
    std::vector<LiveRelease> kept = releases();
    for (std::size_t i = 0; live_now && i + 1 < kept.size(); ++i)
      if (kept[i].release == live_now->release) target.commit = kept[i + 1].commit;
    if (target.commit.empty()) {
      DeployOutcome out;
      out.message = "no release before the live one is kept on the hosts";
      out.target = fmt::format("{} hosts", m_hosts.size());
      return out;
    }
  } else {
    target.commit = to_commit;
  }
  return roll_out(target, true);
}

std::optional<LiveRelease> SshDeployer::live() const {
  if (m_live) return *m_live;
  std::vector<std::optional<std::optional<Release>>> now;
  for (const auto& host : live_per_host())
    now.push_back(host.error.empty() ? std::optional<std::optional<Release>>(host.live) : std::nullopt);
  m_live = most_live(now);
  return *m_live;
}

std::vector<HostLive> SshDeployer::live_per_host() const {
  auto found = on_every_host<std::optional<Release>>(m_hosts, m_connections, m_env,
                                                     [](RemoteReleaseFolder& f) { return f.live(); });
  std::vector<HostLive> out;
  for (std::size_t i = 0; i < m_hosts.size(); ++i) {
    HostLive host{m_hosts[i], std::nullopt, ""};
    if (!found[i])
      host.error = "not asked";
    else if (!*found[i])
      host.error = without_host(found[i]->error().message, m_hosts[i]);
    else
      host.live = **found[i];
    out.push_back(std::move(host));
  }
  return out;
}

std::vector<LiveRelease> SshDeployer::releases() const {
  auto found = on_every_host<std::vector<Release>>(m_hosts, m_connections, m_env,
                                                   [](RemoteReleaseFolder& f) { return f.releases(); });
  std::map<std::string, LiveRelease, std::greater<>> all;
  for (const auto& host : found)
    if (host && *host)
      for (const auto& r : **host) all[r.id] = {r.id, r.commit};
  std::vector<LiveRelease> out;
  for (const auto& [id, r] : all) out.push_back(r);
  return out;
}

Expected<bool> SshDeployer::discard(const std::string& release) {
  m_live.reset();
  auto results = on_every_host<bool>(m_hosts, m_connections, m_env, [&](RemoteReleaseFolder& f) -> Expected<bool> {
    auto kept = f.releases();
    if (!kept) return kept.error();
    bool there = std::any_of(kept->begin(), kept->end(), [&](const Release& r) { return r.id == release; });
    return there ? f.remove({release}) : Expected<bool>(true);
  });
  std::vector<std::string> problems;
  for (const auto& r : results)
    if (r && !*r) problems.push_back(r->error().message);
  if (!problems.empty()) return Error{ErrorCode::io, fmt::format("{}", fmt::join(problems, "; "))};
  return true;
}

Expected<Drift> SshDeployer::drift(const DeployRequest& request) {
  auto tree = manifest_of(request.repo, request.commit, m_env.path);
  if (!tree) return tree.error();
  auto found = on_every_host<Drift>(m_hosts, m_connections, m_env, [&](RemoteReleaseFolder& f) {
    return host_drift(f, request, *tree, m_env.deployer.max_file_size);
  });
  Drift total;
  std::size_t checked = 0;
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (found[i] && *found[i]) {
      total.merge(**found[i]);
      ++checked;
    } else {
      total.unchecked.push_back(found[i] ? found[i]->error().message : m_hosts[i].label() + ": not checked");
    }
  }
  if (checked == 0) return Error{ErrorCode::io, fmt::format("no host could be checked: {}", fmt::join(total.unchecked, "; "))};
  return total;
}

}  // namespace pushgate::ssh
