#pragma once
// The objects of a release as kubectl itself reads them (`kubectl label
// --local -f DIR -R -o json`: its own YAML reader, no server), so what is
// applied is exactly what the files say, typed the way the API server will
// see them. They are applied in two waves: CustomResourceDefinitions and
// Namespaces first, everything (them included) after.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/error.hpp"

namespace pushgate::kubernetes {

// The label every applied object gets: the environment it belongs to.
inline constexpr std::string_view k_environment_label = "pushgate.io/environment";

// The JSON values of `text`, one after another (kubectl prints one per
// object); an Error (ErrorCode::input) when one does not parse or is not an
// object with apiVersion, kind and metadata.name.
Expected<std::vector<nlohmann::json>> parse_object_stream(std::string_view text);

// CustomResourceDefinitions and Namespaces: what other objects need to
// exist before they can be applied.
bool applied_first(const nlohmann::json& object);

// "Deployment web" or "Deployment shop/web": for the log.
std::string describe_object(const nlohmann::json& object);

// kubectl's short name of `object` as `-o name` prints it: "deployment.apps/web",
// "configmap/settings".
std::string kubectl_name(const nlohmann::json& object);

// Writes `objects` as one v1 List to `file`; ErrorCode::io naming it.
Expected<bool> write_object_list(const std::vector<nlohmann::json>& objects, const std::filesystem::path& file);

}  // namespace pushgate::kubernetes
