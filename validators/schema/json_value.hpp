#pragma once
// A YAML node as the JSON value the API server receives: plain scalars
// resolve as Kubernetes' YAML reader resolves them (validators/yaml/
// scalar_type.hpp), so a quoted "2" is a string and a plain 2 an integer.

#include <optional>

#include "core/yaml/yaml_tree.hpp"
#include "validators/schema/value_formats.hpp"
#include "validators/yaml/scalar_type.hpp"

namespace pushgate::schema {

enum class ValueKind { null, object, array, string, integer, number, boolean };

struct Value {
  ValueKind kind = ValueKind::null;
  std::optional<Number> number;  // for integer and number
};

// The value of a plain scalar or an empty node: classify() without its
// shortcuts.
Value classify_plain(const yaml::Node& node);

// Inline, as the schema walk classifies every node: most are collections
// or quoted scalars, which need no reading.
inline Value classify(const yaml::Node& node) {
  switch (node.kind) {
    case yaml::NodeKind::mapping: return {ValueKind::object, {}};
    case yaml::NodeKind::sequence: return {ValueKind::array, {}};
    case yaml::NodeKind::scalar:
      if (!node.plain) return {ValueKind::string, {}};
      break;
    case yaml::NodeKind::null: break;
  }
  return classify_plain(node);
}

// classify(node).kind == ValueKind::null, without reading a number.
inline bool is_null(const yaml::Node& node) {
  return node.kind == yaml::NodeKind::null ||
         (node.kind == yaml::NodeKind::scalar && node.plain && plain_scalar_type(node.value) == ScalarType::null);
}

// The truth value of a node that classify() calls boolean.
bool boolean_value(const yaml::Node& node);

// "integer", "object", ... for messages.
const char* kind_name(ValueKind kind);

}  // namespace pushgate::schema
