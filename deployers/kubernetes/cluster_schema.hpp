#pragma once
// The schemas a cluster really accepts: its /openapi/v2 document (built-in
// kinds and the CustomResourceDefinitions installed there), saved beside the
// repository's pushgate.yaml as a source for validate.schemas. Written by
// `pushgate schemas fetch` and by the kubernetes deployer after each deploy.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/util/error.hpp"
#include "deployers/kubernetes/kubectl.hpp"

namespace pushgate::kubernetes {

// REPO.git/pushgate-schemas/<env>.openapi-v2.json: what validate.schemas
// names as `pushgate-schemas/<env>.openapi-v2.json`.
std::filesystem::path cluster_schema_file(const std::filesystem::path& git_dir, std::string_view env);

// Fetches the cluster's /openapi/v2 through `kubectl` and replaces `file`
// with it in one rename, so a push being checked reads the old or the new
// document, never half of one. Returns its size. ErrorCode::io when kubectl
// fails (its message), when the answer is not a Swagger 2.0 document, or
// when the file cannot be written; the old file stays then.
Expected<std::uintmax_t> save_cluster_schema(const Kubectl& kubectl, const std::filesystem::path& file);

}  // namespace pushgate::kubernetes
