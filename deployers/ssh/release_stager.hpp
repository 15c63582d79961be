#pragma once
// The release of one deploy, made once on this machine for every host of
// the fleet: the commit's subtree read and checked (scan_release, which
// refuses hostile paths), and per kind of host a plan: what to delete from a
// copy of its live release and an archive of what to add, written from the
// object database into a staging folder while the first hosts read it.
// Hosts whose live release came from the same tree share one plan and one
// archive; usually the whole fleet does.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/config/repo_config.hpp"
#include "deployers/deployer.hpp"
#include "deployers/release_scan.hpp"
#include "deployers/ssh/release_archive.hpp"
#include "deployers/ssh/release_manifest.hpp"

namespace pushgate::ssh {

// How to make the release on a host.
struct ReleasePlan {
  std::string tree;                  // the release's tree id, recorded on the host
  bool reuses_live = false;          // start from a hard-linked copy of the live release
  std::vector<std::string> removed;  // paths to delete from that copy, none inside another
  std::size_t kept_files = 0;        // files and symlinks the copy keeps
  std::unique_ptr<GrowingArchive> archive;  // what to add, written while hosts read it
};

class ReleaseStager {
 public:
  // `request` and `env` must outlive the stager; the staging folder (for
  // archives) is made under `parent` on first use and removed with the stager.
  ReleaseStager(const DeployRequest& request, const Environment& env, std::filesystem::path parent);
  ~ReleaseStager();
  ReleaseStager(const ReleaseStager&) = delete;
  ReleaseStager& operator=(const ReleaseStager&) = delete;

  // The plan for a host whose live release was made from tree `live_tree`
  // ("" for none or unknown). A tree the repository does not have is not
  // reused: that plan sends the release whole. Made once per tree; safe to
  // call from several threads. Errors name the release: the commit cannot be
  // made into one (hostile paths, limits) or the staging folder not written.
  Expected<const ReleasePlan*> plan(const std::string& live_tree);

 private:
  // The release, checked, and its manifest.
  struct Staged {
    ReleaseContent content;
    Manifest manifest;
  };
  Expected<Staged> stage();
  Expected<ReleasePlan> make_plan(const Staged& staged, const std::string& live_tree);

  const DeployRequest& m_request;
  const Environment& m_env;
  std::filesystem::path m_parent;
  std::filesystem::path m_folder;  // made by stage(), removed by the destructor
  std::mutex m_mutex;
  std::optional<Expected<Staged>> m_staged;
  std::map<std::string, Expected<ReleasePlan>> m_plans;
};

}  // namespace pushgate::ssh
