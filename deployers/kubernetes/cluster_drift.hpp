#pragma once
// Reading what kubectl says about drift: `kubectl diff --server-side` of the
// live commit (objects the cluster lacks or holds differently), and a server
// dry run of the ApplySet prune (objects the cluster holds that the commit
// no longer has). Names follow Drift's: "Kind/namespace/name", or
// "Kind/name" for cluster-scoped objects.

#include <string_view>

#include "deployers/drift.hpp"

namespace pushgate::kubernetes {

// Counts each object of `diff` (kubectl diff's unified diff): one whose live
// side is empty is missing from the cluster (removed, "-Kind/ns/name"), any
// other differs (changed, "~Kind/ns/name").
void read_kubectl_diff(std::string_view diff, Drift& drift);

// Counts each "NAME pruned" line of a dry-run apply with --prune: an object
// of the environment that the cluster holds and the commit does not (added,
// "+NAME" as kubectl prints it, like "+configmap/old").
void read_dry_run_prune(std::string_view output, Drift& drift);

}  // namespace pushgate::kubernetes
