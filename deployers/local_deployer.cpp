#include "deployers/local_deployer.hpp"

#include <fmt/format.h>

#include "core/jobs/job.hpp"
#include "deployers/release_drift.hpp"
#include "deployers/release_tree.hpp"

namespace pushgate {

namespace {

DeployOutcome outcome(DeployStatus status, std::string release, const std::filesystem::path& target,
                      std::string message) {
  return {status, std::move(release), target.string(), std::move(message), {}};
}

}  // namespace

LocalDeployer::LocalDeployer(Environment env, std::filesystem::path root, ProcessRunner& runner)
    : m_env(std::move(env)), m_folder(std::move(root)), m_runner(runner) {}

std::optional<std::string> LocalDeployer::activate(const StepRunner&, const StepContext&) { return std::nullopt; }

std::string LocalDeployer::describe_live() const {
  auto live = m_folder.live();
  if (!live) return "nothing is live";
  return fmt::format("release {} ({}) is live", live->id, abbreviate(live->commit));
}

std::string LocalDeployer::switch_back(const StepRunner& steps, const std::string& why,
                                       const std::optional<Release>& previous) {
  steps.note(fmt::format("pushgate: {}; switching back", why));
  if (!previous) {
    if (auto cleared = m_folder.clear_live(); !cleared)
      return fmt::format("{}; cannot switch back: {}; {}", why, cleared.error().message, describe_live());
    return fmt::format("{}; switched back: nothing is live (there was no earlier release)", why);
  }
  StepContext context{m_folder.release_path(previous->id), previous->commit, ""};
  if (auto failed = activate(steps, context))
    return fmt::format("{}; cannot switch back: {}; {}", why, *failed, describe_live());
  if (auto switched = m_folder.switch_to(previous->id); !switched)
    return fmt::format("{}; cannot switch back: {}; {}", why, switched.error().message, describe_live());
  std::string message = fmt::format("{}; switched back: {}", why, describe_live());
  if (auto failed = steps.run_all("after", m_env.deployer.after, context, m_env.deployer.timeout))
    message += fmt::format(" (but {})", *failed);
  return message;
}

LocalDeployer::SwitchResult LocalDeployer::go_live(const StepRunner& steps, const Release& release,
                                                   const StepContext& context,
                                                   const std::optional<Release>& previous) {
  std::optional<std::string> failed = activate(steps, context);
  if (!failed) {
    if (auto switched = m_folder.switch_to(release.id); !switched) failed = switched.error().message;
  }
  if (failed) {
    std::string message = fmt::format("{}; nothing was switched; {}", *failed, describe_live());
    steps.note("pushgate: " + message);
    return {Switch::not_switched, message};
  }
  steps.note(fmt::format("pushgate: switched {} to release {}", m_folder.root().string(), release.id));
  failed = steps.run_all("after", m_env.deployer.after, context, m_env.deployer.timeout);
  if (!failed && m_env.health) failed = steps.check_health(*m_env.health, context);
  if (!failed) return {Switch::done, ""};
  std::string message = switch_back(steps, *failed, previous);
  steps.note("pushgate: " + message);
  auto live = m_folder.live();
  return {live && live->id == release.id ? Switch::stuck : Switch::switched_back, message};
}

DeployOutcome LocalDeployer::deploy(const DeployRequest& request) {
  const std::string& id = request.release_id;
  StepRunner steps(m_runner, request);
  auto fail = [&](const std::string& why) {
    steps.note("pushgate: " + why);
    return outcome(DeployStatus::failed, id, m_folder.root(), fmt::format("{}; {}", why, describe_live()));
  };
  if (auto prepared = m_folder.prepare(); !prepared) return fail(prepared.error().message);
  std::optional<Release> previous = m_folder.live();

  steps.note(fmt::format("pushgate: writing {} of {} to {}",
                         m_env.path.empty() ? "the whole tree" : "'" + m_env.path + "'", abbreviate(request.commit),
                         m_folder.release_path(id).string()));
  auto written = materialize_tree(request.repo, request.commit, m_env.path, m_folder.partial_path(id),
                                  {m_env.deployer.max_file_size, m_env.deployer.max_release_size});
  if (!written) return fail(fmt::format("cannot make release {}: {}", id, written.error().message));
  if (auto completed = m_folder.complete(id, request.commit); !completed)
    return fail(fmt::format("cannot make release {}: {}", id, completed.error().message));
  steps.note(fmt::format("pushgate: release {}: {} files, {} folders, {} symlinks, {} bytes", id, written->files,
                         written->folders, written->symlinks, written->bytes));

  StepContext context{m_folder.release_path(id), request.commit, request.previous_commit};
  if (auto failed = steps.run_all("before", m_env.deployer.before, context, m_env.deployer.timeout)) {
    m_folder.remove(id);
    return fail(fmt::format("{}; nothing was switched", *failed));
  }
  // After `before`, which may write into the release: what goes live is what drift is measured against.
  if (auto recorded = m_folder.record_snapshot(id); !recorded)
    steps.note(fmt::format("pushgate: warning: cannot record the release's snapshot ({}); drift checks will "
                           "hash every file",
                           recorded.error().message));
  SwitchResult switched = go_live(steps, {id, request.commit, ""}, context, previous);
  switch (switched.result) {
    case Switch::done: break;
    case Switch::stuck: return outcome(DeployStatus::failed, id, m_folder.root(), switched.message);
    case Switch::not_switched:
      m_folder.remove(id);
      return outcome(DeployStatus::failed, id, m_folder.root(), switched.message);
    case Switch::switched_back:
      // Only releases that were good stay, so a rollback never lands on a bad one.
      m_folder.remove(id);
      return outcome(DeployStatus::rolled_back, id, m_folder.root(), switched.message);
  }
  for (const auto& removed : m_folder.prune(m_env.deployer.keep_releases))
    steps.note(fmt::format("pushgate: removed old release {}", removed));
  return outcome(
      DeployStatus::succeeded, id, m_folder.root(),
      fmt::format("release {} of {} is live in {}", id, abbreviate(request.commit), m_folder.root().string()));
}

DeployOutcome LocalDeployer::rollback(const DeployRequest& request, const std::string& to_commit) {
  StepRunner steps(m_runner, request);
  auto fail = [&](const std::string& why) {
    steps.note("pushgate: " + why);
    return outcome(DeployStatus::failed, "", m_folder.root(), fmt::format("{}; {}", why, describe_live()));
  };
  if (auto prepared = m_folder.prepare(); !prepared) return fail(prepared.error().message);
  std::optional<Release> live = m_folder.live();
  std::vector<Release> kept = m_folder.releases();
  std::optional<Release> target;
  if (to_commit.empty()) {
    for (std::size_t i = 0; live && i + 1 < kept.size(); ++i)
      if (kept[i].id == live->id) target = kept[i + 1];
    if (!target)
      return fail(fmt::format("no release before the live one is kept in {}", m_folder.root().string()));
  } else {
    for (const auto& r : kept)
      if (!target && same_commit(r.commit, to_commit)) target = r;
  }
  if (!target) {
    steps.note(fmt::format("pushgate: no release of {} is kept; deploying it again", abbreviate(to_commit)));
    DeployRequest again = request;
    again.commit = to_commit;
    DeployOutcome redeployed = deploy(again);
    if (redeployed.status == DeployStatus::rolled_back) redeployed.status = DeployStatus::failed;
    return redeployed;
  }
  if (live && live->id == target->id)
    return outcome(DeployStatus::succeeded, target->id, m_folder.root(),
                   fmt::format("release {} ({}) is live already", target->id, abbreviate(target->commit)));

  steps.note(fmt::format("pushgate: rolling back to release {} ({})", target->id, abbreviate(target->commit)));
  StepContext context{m_folder.release_path(target->id), target->commit, live ? live->commit : ""};
  SwitchResult switched = go_live(steps, *target, context, live);
  if (switched.result != Switch::done)
    return outcome(DeployStatus::failed, target->id, m_folder.root(), switched.message);
  return outcome(DeployStatus::succeeded, target->id, m_folder.root(),
                 fmt::format("release {} ({}) is live again in {}", target->id, abbreviate(target->commit),
                             m_folder.root().string()));
}

std::optional<LiveRelease> LocalDeployer::live() const {
  auto live = m_folder.live();
  if (!live) return std::nullopt;
  return LiveRelease{live->id, live->commit};
}

Expected<bool> LocalDeployer::discard(const std::string& release) { return m_folder.remove(release); }

Expected<Drift> LocalDeployer::drift(const DeployRequest& request) {
  std::optional<Release> live = m_folder.live();
  std::string id = request.release_id;
  if (id.empty() && live && live->commit == request.commit) id = live->id;
  for (const auto& kept : m_folder.releases())
    if (id.empty() && kept.commit == request.commit) id = kept.id;
  Drift drift;
  if (!live || live->id != id) drift.note(&Drift::elsewhere, fmt::format("current -> {}", live ? live->id : ""));
  std::error_code ec;
  if (id.empty() || !std::filesystem::is_directory(m_folder.release_path(id), ec)) {
    request.log(fmt::format("pushgate: no release of {} is kept in {}; only current is compared",
                            abbreviate(request.commit), m_folder.root().string()));
    return drift;
  }
  auto now = snapshot_folder(m_folder.release_path(id));
  if (!now) return now.error();
  auto tree = ssh::manifest_of(request.repo, request.commit, m_env.path);
  if (!tree) return tree.error();
  std::optional<Snapshot> recorded = m_folder.recorded_snapshot(id);
  auto found = compare_release(recorded ? &*recorded : nullptr, *now, *tree,
                               local_content_check(m_folder.release_path(id)), "");
  if (!found) return found.error();
  drift.merge(*found);
  return drift;
}

std::vector<LiveRelease> LocalDeployer::releases() const {
  std::vector<LiveRelease> out;
  for (const auto& r : m_folder.releases()) out.push_back({r.id, r.commit});
  return out;
}

}  // namespace pushgate
