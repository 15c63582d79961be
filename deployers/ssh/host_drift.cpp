#include "deployers/ssh/host_drift.hpp"

#include <git2.h>

#include <fmt/format.h>

#include "core/git/git.hpp"
#include "deployers/release_drift.hpp"

namespace pushgate::ssh {

namespace {

constexpr unsigned k_link = 0120000;

// The release to compare: the one the notes name, else the newest kept of the commit.
Expected<std::string> expected_release(RemoteReleaseFolder& folder, const DeployRequest& request) {
  if (!request.release_id.empty()) return request.release_id;
  auto kept = folder.releases();
  if (!kept) return kept.error();
  for (const auto& r : *kept)
    if (r.commit == request.commit) return r.id;
  return std::string();
}

}  // namespace

Expected<Drift> host_drift(RemoteReleaseFolder& folder, const DeployRequest& request, const Manifest& tree,
                           std::uint64_t max_file) {
  std::string place = folder.label() + ":";
  auto live = folder.live();
  if (!live) return live.error();
  auto id = expected_release(folder, request);
  if (!id) return id.error();
  Drift drift;
  if (!*live || (*live)->id != *id)
    drift.note(&Drift::elsewhere, fmt::format("{}current -> {}", place, *live ? (*live)->id : ""));
  if (id->empty()) return drift;
  auto kept = folder.releases();
  if (!kept) return kept.error();
  if (std::none_of(kept->begin(), kept->end(), [&](const Release& r) { return r.id == *id; })) return drift;
  auto now = folder.snapshot(*id);
  if (!now) return now.error();
  auto recorded = folder.recorded_snapshot(*id);
  if (!recorded) return recorded.error();
  ContentCheck same = [&](const std::string& path, const ManifestEntry& expected) -> Expected<bool> {
    auto want = git::parse_oid(expected.id);
    if (!want) return want.error();
    bool link = expected.mode == k_link;
    auto content = folder.read_entry(*id, path, link, static_cast<std::size_t>(max_file));
    if (!content) return content.error();
    git_oid got;
    if (git_odb_hash(&got, content->data(), content->size(), GIT_OBJECT_BLOB) < 0)
      return git::git_failure(fmt::format("cannot hash {}{}", place, path));
    return git_oid_equal(&got, &*want) != 0;
  };
  auto found = compare_release(*recorded ? &**recorded : nullptr, *now, tree, same, place);
  if (!found) return found.error();
  drift.merge(*found);
  return drift;
}

}  // namespace pushgate::ssh
