#include "core/records/deploy_status.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/git/git.hpp"
#include "core/records/notes.hpp"

namespace pushgate {

namespace {

using Json = nlohmann::json;

std::uint64_t job_number(const DeployRecord& record) {
  const std::string job = record.field("job");
  std::uint64_t n = 0;
  for (char c : job) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

// The history's full commit id starting with `prefix` (records name commits
// by a short id), or `prefix` itself.
std::string expand_commit(const std::vector<CommitRecord>& history, const std::string& prefix) {
  if (prefix.empty()) return prefix;
  for (const auto& h : history)
    if (h.commit.starts_with(prefix)) return h.commit;
  return prefix;
}

Json job_json(const Job& job) {
  return {{"job", job.id},       {"kind", to_string(job.kind)}, {"commit", job.commit},
          {"pusher", job.pusher}, {"ref", job.ref},              {"enqueued_at", job.enqueued_at}};
}

Json record_json(const CommitRecord& r) {
  Json fields = Json::object();
  for (const auto& [k, v] : r.record.fields) fields[k] = v;
  return {{"commit", r.commit},
          {"timestamp", r.record.timestamp},
          {"status", to_string(r.record.status)},
          {"fields", std::move(fields)}};
}

}  // namespace

Expected<std::vector<CommitRecord>> read_deploy_history(git_repository* repo, std::string_view env) {
  std::vector<CommitRecord> history;
  auto visited = for_each_note(repo, deploy_notes_ref(env), [&](const git_oid& commit, std::string_view note) {
    std::string hex = git::to_hex(commit);
    for (auto& record : parse_records(note)) history.push_back({hex, std::move(record)});
  });
  if (!visited) return visited.error();
  // Timestamps have one-second resolution; job numbers order what happened
  // within one second, and the stable sort keeps a note's own line order.
  std::stable_sort(history.begin(), history.end(), [](const CommitRecord& a, const CommitRecord& b) {
    if (a.record.timestamp != b.record.timestamp) return a.record.timestamp < b.record.timestamp;
    return job_number(a.record) < job_number(b.record);
  });
  return history;
}

std::optional<LiveDeploy> live_from_history(const std::vector<CommitRecord>& history) {
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    const DeployRecord& r = it->record;
    // A heal made a new release of the live commit.
    if (r.status == DeployStatus::succeeded || r.status == DeployStatus::healed)
      return LiveDeploy{it->commit, r.field("release"), r.timestamp, r.field("pusher"), r.field("job")};
    if (r.status != DeployStatus::rolled_back) continue;
    std::string live = r.field("live");
    if (live.empty()) return std::nullopt;
    LiveDeploy deploy{expand_commit(history, live), "", r.timestamp, r.field("pusher"), r.field("job")};
    // The release that went live again is the one its own deploy made.
    for (auto older = std::next(it); older != history.rend(); ++older)
      if (older->commit == deploy.commit && older->record.status == DeployStatus::succeeded) {
        deploy.release = older->record.field("release");
        break;
      }
    return deploy;
  }
  return std::nullopt;
}

std::optional<CommitRecord> release_before_live(const std::vector<CommitRecord>& history,
                                                std::string_view live_commit, std::string_view live_release) {
  auto success = [](const CommitRecord& h) { return h.record.status == DeployStatus::succeeded; };
  auto newest = [&](auto first, auto pred) {
    return std::find_if(first, history.rend(), [&](const CommitRecord& h) { return success(h) && pred(h); });
  };
  // A release id names one deploy; a commit may have been deployed several
  // times, and a release made again by a rollback has no success of its own.
  auto live = history.rend();
  if (!live_release.empty())
    live = newest(history.rbegin(),
                  [&](const CommitRecord& h) { return h.record.field("release") == live_release; });
  if (live == history.rend())
    live = newest(history.rbegin(), [&](const CommitRecord& h) { return h.commit == live_commit; });
  auto older = live == history.rend() ? history.rbegin() : std::next(live);
  auto found = newest(older, [&](const CommitRecord& h) { return h.commit != live_commit; });
  if (found == history.rend()) return std::nullopt;
  return *found;
}

std::optional<CommitRecord> last_attempt(const std::vector<CommitRecord>& history) {
  for (auto it = history.rbegin(); it != history.rend(); ++it)
    if (it->record.status != DeployStatus::superseded) return *it;
  return std::nullopt;
}

Expected<RepoStatus> read_repo_status(git_repository* repo, const RepoConfig& config,
                                      const Spool* spool, std::string_view env) {
  RepoStatus status;
  status.repo = repo_identity(git::git_dir(repo));
  if (!env.empty()) {
    if (auto known = find_environment(config, env, status.repo); !known) return known.error();
  }
  std::vector<Job> waiting, active;
  if (spool) {
    waiting = spool->waiting();
    active = spool->active();
  }
  for (const auto& e : config.environments) {
    if (!env.empty() && e.name != env) continue;
    EnvironmentStatus s;
    s.name = e.name;
    s.branch = e.branch;
    auto history = read_deploy_history(repo, e.name);
    if (!history) return history.error();
    s.live = live_from_history(*history);
    if (!history->empty()) s.last = history->back();
    auto mine = [&](const Job& j) { return j.repo == status.repo && j.env == e.name; };
    std::copy_if(waiting.begin(), waiting.end(), std::back_inserter(s.waiting), mine);
    for (const Job& j : active)
      if (mine(j)) (spool->pending_record(j.id) ? s.record_pending : s.active).push_back(j);
    status.environments.push_back(std::move(s));
  }
  return status;
}

std::string status_to_json(const RepoStatus& status) {
  Json envs = Json::array();
  for (const auto& e : status.environments) {
    Json live = nullptr;
    if (e.live)
      live = {{"commit", e.live->commit}, {"release", e.live->release}, {"since", e.live->since},
              {"by", e.live->by},         {"job", e.live->job}};
    Json waiting = Json::array(), active = Json::array(), pending = Json::array();
    for (const auto& j : e.waiting) waiting.push_back(job_json(j));
    for (const auto& j : e.active) active.push_back(job_json(j));
    for (const auto& j : e.record_pending) pending.push_back(job_json(j));
    envs.push_back({{"name", e.name},
                    {"branch", e.branch},
                    {"live", std::move(live)},
                    {"last", e.last ? record_json(*e.last) : Json(nullptr)},
                    {"waiting", std::move(waiting)},
                    {"active", std::move(active)},
                    {"record_pending", std::move(pending)}});
  }
  Json j = {{"repo", status.repo},
            {"daemon", status.daemon_version ? Json(*status.daemon_version) : Json(nullptr)},
            {"environments", std::move(envs)}};
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace pushgate
