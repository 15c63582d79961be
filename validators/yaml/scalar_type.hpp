#pragma once
// How Kubernetes reads a YAML scalar. kubectl and the API server use a YAML
// 1.1 reader: unquoted `yes`, `on`, `y`, `true` are booleans and `1.0`,
// `0x1F`, `1_000` are numbers, so a manifest that means a string there must
// quote it.

#include <string_view>

#include "core/yaml/yaml_tree.hpp"

namespace pushgate {

enum class ScalarType { string, boolean, number, null };

// The type of a scalar or null node; quoted and explicitly tagged scalars
// are strings. Precondition: `node` is not a collection.
ScalarType scalar_type(const yaml::Node& node);

// The type of the unquoted scalar `text` under YAML 1.1.
ScalarType plain_scalar_type(std::string_view text);

// "boolean", "number", ... for messages.
const char* to_string(ScalarType type);

}  // namespace pushgate
