#pragma once
// The drift of one host of a fleet, as LocalDeployer::drift finds it for a
// folder here: DIR/current against the expected release, and that release
// (one find(1) on the host) against its snapshot and the commit's tree.
// Files whose metadata differ are read back over SFTP and hashed here.

#include <cstdint>

#include "core/util/error.hpp"
#include "deployers/deployer.hpp"
#include "deployers/drift.hpp"
#include "deployers/ssh/release_manifest.hpp"
#include "deployers/ssh/remote_release_folder.hpp"

namespace pushgate::ssh {

// `request` as Deployer::drift takes it; `tree` is the commit's manifest
// and `max_file` the most read back per file. Paths are "HOST:path".
// Errors name the host.
Expected<Drift> host_drift(RemoteReleaseFolder& folder, const DeployRequest& request, const Manifest& tree,
                           std::uint64_t max_file);

}  // namespace pushgate::ssh
