#include "deployers/ssh/host_rollout.hpp"

#include <fmt/format.h>

#include "core/jobs/job.hpp"
#include "deployers/step_runner.hpp"

namespace pushgate::ssh {

HostRollout::HostRollout(HostConnections& connections, std::size_t index, HostSpec host, const Environment& env,
                         DeployRequest request)
    : m_connections(connections),
      m_index(index),
      m_host(std::move(host)),
      m_env(env),
      m_request(std::move(request)) {}

bool HostRollout::fail(std::string why) {
  if (m_request.log) m_request.log("pushgate: " + why);
  m_why = std::move(why);
  m_state = State::failed;
  return false;
}

StepContext HostRollout::context(const Release& release) const {
  return {m_folder->release_path(release.id), release.commit, m_previous ? m_previous->commit : ""};
}

bool HostRollout::open() {
  for (bool fresh : {false, true}) {
    auto connection = m_connections.get(m_index, fresh);
    if (!connection) {
      // A host that cannot be reached may be tolerated (max_unavailable); one
      // that answers with the wrong key or refuses the identity may not.
      bool unreachable = connection.error().code == ErrorCode::io;
      fail(connection.error().message);
      if (unreachable) m_state = State::unreachable;
      return false;
    }
    m_connection = *connection;
    m_runner = std::make_unique<RemoteProcessRunner>(*m_connection);
    m_folder = std::make_unique<RemoteReleaseFolder>(*m_connection, m_host.dir, m_env.deployer.timeout);
    auto live = m_folder->live();
    if (live) {
      m_previous = *live;
      m_asked = true;
      return true;
    }
    // A connection kept from reading what is live may have died since: one new try.
    if (fresh || live.error().code != ErrorCode::io) return fail(live.error().message);
  }
  return false;
}

bool HostRollout::roll_forward(ReleaseStager& stager, bool reuse_kept) {
  StepRunner steps(*m_runner, m_request, m_host.host);
  std::optional<Release> target;
  if (reuse_kept) {
    auto kept = m_folder->releases();
    if (!kept) return fail(kept.error().message);
    for (const auto& r : *kept)
      if (!target && same_commit(r.commit, m_request.commit)) target = r;
    if (target && m_previous && m_previous->id == target->id) {
      steps.note(fmt::format("pushgate: release {} ({}) is live already", target->id, abbreviate(target->commit)));
      m_state = State::ok;
      return true;
    }
  }
  if (!target) {
    // A live release changed by hand is not built on: the release is then sent whole.
    bool reuse = m_previous && m_folder->intact(m_previous->id);
    if (m_previous && !reuse)
      steps.note(fmt::format("pushgate: release {} differs from its snapshot (or has none): sending the release whole",
                             m_previous->id));
    auto plan = stager.plan(reuse ? m_previous->tree : "");
    if (!plan) return fail(plan.error().message);
    auto kept = m_folder->release_ids();
    if (!kept) return fail(kept.error().message);
    std::vector<std::string> old = beyond_keep(*kept, m_env.deployer.keep_releases, m_previous ? m_previous->id : "");
    // Without `before` commands the release goes live in the same remote command.
    bool at_once = m_env.deployer.before.empty();
    m_made = m_request.release_id;  // removed again if anything fails, even when complete
    auto written = m_folder->write_release(m_made, m_request.commit, **plan, m_previous,
                                           at_once ? RemoteReleaseFolder::Then::go_live
                                                   : RemoteReleaseFolder::Then::stay,
                                           old);
    if (!written) {
      // Cut off at the very end, the command may have switched: switching back is then safe either way.
      if (at_once) {
        m_switched = true;
        m_target = Release{m_made, m_request.commit, (*plan)->tree};
      }
      return fail(fmt::format("cannot make release {}: {}", m_made, written.error().message));
    }
    m_upload = *written;
    for (const auto& id : old) steps.note(fmt::format("pushgate: removed old release {}", id));
    steps.note(fmt::format("pushgate: release {}: {} files sent ({} bytes), {} reused from the live release{}; "
                           "a {}-byte archive",
                           m_made, written->files_sent, written->bytes_sent, written->files_kept,
                           m_previous && !written->reused_live ? " (its tree is not in the repository)" : "",
                           written->archive_bytes));
    target = Release{m_made, m_request.commit, (*plan)->tree};
    m_switched = at_once;
    if (auto failed = steps.run_all("before", m_env.deployer.before, context(*target), m_env.deployer.timeout))
      return fail(fmt::format("{}; nothing was switched", *failed));
    // After `before`, as for a local release: what goes live is what drift is measured against (the
    // write took it already when it went live at once).
    if (!at_once)
      if (auto recorded = m_folder->record_snapshot(m_made); !recorded)
        steps.note(fmt::format("pushgate: warning: cannot record the release's snapshot ({}); drift checks will "
                               "read every file",
                               recorded.error().message));
  }
  if (!m_switched) {
    if (auto switched = m_folder->switch_to(target->id); !switched)
      return fail(fmt::format("{}; nothing was switched", switched.error().message));
    m_switched = true;
  }
  m_target = target;
  steps.note(fmt::format("pushgate: switched {} to release {}", m_folder->root(), target->id));
  std::optional<std::string> failed = steps.run_all("after", m_env.deployer.after, context(*target), m_env.deployer.timeout);
  if (!failed && m_env.health) failed = steps.check_health(*m_env.health, context(*target));
  if (failed) return fail(*failed);
  m_state = State::ok;
  return true;
}

std::optional<std::string> HostRollout::switch_back() {
  if (!m_folder) return std::nullopt;
  StepRunner steps(*m_runner, m_request, m_host.host);
  std::optional<std::string> problem;
  if (m_switched) {
    auto back = m_previous ? m_folder->switch_to(m_previous->id) : m_folder->clear_live();
    if (!back) {
      problem = fmt::format("{}: cannot switch back: {}", m_host.label(), back.error().message);
    } else {
      m_switched = false;
      steps.note(m_previous ? fmt::format("pushgate: switched back to release {}", m_previous->id)
                            : std::string("pushgate: switched back: nothing is live (there was no earlier release)"));
      if (m_previous)
        if (auto failed = steps.run_all("after", m_env.deployer.after, context(*m_previous), m_env.deployer.timeout))
          steps.note(fmt::format("pushgate: switched back, but {}", *failed));
    }
  }
  // Only releases that were good stay, so a rollback never lands on a bad one.
  if (!m_made.empty() && !m_switched) {
    if (auto removed = m_folder->remove({m_made}); removed) m_made.clear();
  }
  if (problem) steps.note("pushgate: " + *problem);
  return problem;
}

std::optional<std::optional<Release>> HostRollout::live_now() const {
  if (!m_asked) return std::nullopt;
  return m_switched ? m_target : m_previous;
}

}  // namespace pushgate::ssh
