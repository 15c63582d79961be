#pragma once
// A CustomResourceDefinition (apiextensions.k8s.io/v1) from a push or an
// administrator's folder: checked the way the API server would refuse it
// (names, versions, a structural schema), then compiled.

#include <string>
#include <vector>

#include "core/util/finding.hpp"
#include "core/yaml/yaml_tree.hpp"
#include "validators/schema/schema_model.hpp"

namespace pushgate::schema {

// Schemas nested deeper than this in a CRD are refused (the compiler's
// CompileLimits::depth); real CRDs stay below 30.
inline constexpr std::size_t k_max_crd_depth = 64;

// Adds the served versions of the CRD at `object` to `model`, or appends
// k8s.schema findings at `path` for what is wrong with it and adds nothing.
// Returns true when added.
bool add_crd_schemas(Model& model, const yaml::Document& doc, yaml::NodeId object, const std::string& path,
                     std::vector<Finding>& problems);

}  // namespace pushgate::schema
