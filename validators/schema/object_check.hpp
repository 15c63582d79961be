#pragma once
// Checking one Kubernetes object against the schema of its kind, strictly
// (as `kubectl apply --validate=strict`): types, required fields, enums,
// formats, int-or-string, quantities, unknown fields.

#include <string>
#include <vector>

#include "core/util/finding.hpp"
#include "core/yaml/yaml_tree.hpp"
#include "validators/schema/schema_set.hpp"

namespace pushgate::schema {

// Findings per object before the rest are only counted (one "N more"
// finding), so a hostile file cannot produce millions.
inline constexpr std::size_t k_max_findings_per_object = 20;
// Nesting below which values are not checked (reported once).
inline constexpr std::size_t k_max_check_depth = 200;
// Schema nodes visited per object (anyOf/oneOf branches multiply them)
// before checking stops, saying so.
inline constexpr std::size_t k_max_check_work = 1'000'000;

enum class Lookup { checked, unknown_api_version, unknown_kind };

// Checks the mapping `object` of `doc` against the schema of its apiVersion
// and kind: from `overlay` (CRDs found in the push; may be null) when it has
// the kind, else from `base`. Appends k8s.schema findings at `path`.
// Returns unknown_api_version or unknown_kind, with no finding, when neither
// set has the kind; `kind: List` itself is checked (its items are the
// caller's).
Lookup check_object(const SchemaSet& base, const SchemaSet* overlay, const yaml::Document& doc,
                    yaml::NodeId object, const std::string& path, std::vector<Finding>& out);

}  // namespace pushgate::schema
