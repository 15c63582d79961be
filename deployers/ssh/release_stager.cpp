#include "deployers/ssh/release_stager.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include "core/git/git.hpp"

namespace pushgate::ssh {

ReleaseStager::ReleaseStager(const DeployRequest& request, const Environment& env, std::filesystem::path parent)
    : m_request(request), m_env(env), m_parent(std::move(parent)) {}

ReleaseStager::~ReleaseStager() {
  m_plans.clear();  // stops archives still being written before their folder goes
  std::error_code ec;
  if (!m_folder.empty()) std::filesystem::remove_all(m_folder, ec);
}

Expected<const ReleasePlan*> ReleaseStager::plan(const std::string& live_tree) {
  std::lock_guard lock(m_mutex);
  if (!m_staged) m_staged = stage();
  if (!*m_staged) return m_staged->error();
  auto found = m_plans.find(live_tree);
  if (found == m_plans.end()) found = m_plans.emplace(live_tree, make_plan(**m_staged, live_tree)).first;
  if (!found->second) return found->second.error();
  return &*found->second;
}

Expected<ReleaseStager::Staged> ReleaseStager::stage() {
  auto content = scan_release(m_request.repo, m_request.commit, m_env.path,
                              {m_env.deployer.max_file_size, m_env.deployer.max_release_size});
  if (!content)
    return Error{content.error().code,
                 fmt::format("cannot make release {}: {}", m_request.release_id, content.error().message)};
  std::error_code ec;
  std::filesystem::create_directories(m_parent, ec);
  std::string pattern = (m_parent / "ssh-release-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    return Error{ErrorCode::io, fmt::format("cannot create a staging folder in {}", m_parent.string())};
  m_folder = pattern;
  Staged staged{std::move(*content), {}};
  for (const auto& e : staged.content.entries())
    staged.manifest.push_back({e.mode, git::to_hex(e.id), e.path});
  return staged;
}

Expected<ReleasePlan> ReleaseStager::make_plan(const Staged& staged, const std::string& live_tree) {
  ReleasePlan plan;
  plan.tree = staged.content.tree;
  ManifestDiff delta{{}, staged.manifest, 0};
  if (!live_tree.empty()) {
    auto live = manifest_of_tree(m_request.repo, live_tree);
    if (!live && live.error().code != ErrorCode::input) return live.error();
    if (live) {
      delta = diff(*live, staged.manifest);
      plan.reuses_live = true;
    }
  }
  plan.removed = std::move(delta.removed);
  plan.kept_files = delta.kept_files;
  auto archive = GrowingArchive::start(git::git_dir(m_request.repo), staged.content, std::move(delta.added),
                                      m_folder / fmt::format("entries-{}.tar", m_plans.size()));
  if (!archive)
    return Error{archive.error().code,
                 fmt::format("cannot make release {}: {}", m_request.release_id, archive.error().message)};
  plan.archive = std::move(*archive);
  return plan;
}

}  // namespace pushgate::ssh
