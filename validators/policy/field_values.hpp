#pragma once
// The values policy rules read from a pod spec, as Kubernetes reads them
// (YAML 1.1 booleans: `yes` and `on` are true). A value of the wrong type is
// the schema check's concern: here it reads as absent.

#include <cstdint>
#include <optional>

#include "core/yaml/yaml_tree.hpp"

namespace pushgate {

// The boolean at `node` (k_no_node allowed), or nullopt when there is none.
std::optional<bool> boolean_at(const yaml::Document& doc, yaml::NodeId node);

// The decimal integer at `node` (k_no_node allowed), or nullopt.
std::optional<std::int64_t> integer_at(const yaml::Document& doc, yaml::NodeId node);

// True when `node` is absent or an empty collection or null.
bool is_empty_at(const yaml::Document& doc, yaml::NodeId node);

}  // namespace pushgate
