#pragma once
// A YAML node as the JSON value the API server receives: plain scalars
// resolve as Kubernetes' YAML reader resolves them (validators/yaml/
// scalar_type.hpp), so a quoted "2" is a string and a plain 2 an integer.

#include <optional>

#include "core/yaml/yaml_tree.hpp"
#include "validators/schema/value_formats.hpp"

namespace pushgate::schema {

enum class ValueKind { null, object, array, string, integer, number, boolean };

struct Value {
  ValueKind kind = ValueKind::null;
  std::optional<Number> number;  // for integer and number
};

Value classify(const yaml::Node& node);

// classify(node).kind == ValueKind::null, without reading a number.
bool is_null(const yaml::Node& node);

// The truth value of a node that classify() calls boolean.
bool boolean_value(const yaml::Node& node);

// "integer", "object", ... for messages.
const char* kind_name(ValueKind kind);

}  // namespace pushgate::schema
