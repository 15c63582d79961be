#pragma once
// What an environment has in a cluster, kept in the cluster itself: an
// ApplySet whose parent is the ConfigMap pushgate-<env> in the deployer's
// namespace. kubectl labels every applied object as part of it and prunes
// only its members, so objects of other environments, other tools or
// people survive. pushgate annotates the parent with the live commit and
// release, and the releases made live before it, once a deploy is ready.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "deployers/deployer.hpp"

namespace pushgate::kubernetes {

inline constexpr std::string_view k_commit_annotation = "pushgate.io/commit";
inline constexpr std::string_view k_release_annotation = "pushgate.io/release";
inline constexpr std::string_view k_history_annotation = "pushgate.io/history";
// kubectl's ApplySet labels: the parent's id, and each member's.
inline constexpr std::string_view k_applyset_id_label = "applyset.kubernetes.io/id";
inline constexpr std::string_view k_part_of_label = "applyset.kubernetes.io/part-of";

// The parent ConfigMap's name for environment `env`: "pushgate-" and the
// name in lower case with '_' and '.' as '-' (a DNS label).
std::string inventory_name(std::string_view env);

// The releases the parent `configmap` records, the live one first; empty
// when it records none (a parent kubectl made before any deploy was ready).
std::vector<LiveRelease> recorded_releases(const nlohmann::json& configmap);

// `kubectl annotate` arguments that make `live` the live release, keeping
// at most `keep` of `earlier` (newest first) as the history.
std::vector<std::string> record_arguments(const LiveRelease& live, const std::vector<LiveRelease>& earlier,
                                          std::size_t keep);

}  // namespace pushgate::kubernetes
