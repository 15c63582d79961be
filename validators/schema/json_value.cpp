#include "validators/schema/json_value.hpp"

#include <string>

#include "validators/yaml/scalar_type.hpp"

namespace pushgate::schema {

Value classify(const yaml::Node& n) {
  if (n.kind == yaml::NodeKind::mapping) return {ValueKind::object, {}};
  if (n.kind == yaml::NodeKind::sequence) return {ValueKind::array, {}};
  switch (scalar_type(n)) {
    case ScalarType::null: return {ValueKind::null, {}};
    case ScalarType::boolean: return {ValueKind::boolean, {}};
    case ScalarType::string: return {ValueKind::string, {}};
    case ScalarType::number: break;
  }
  auto number = parse_number(n.value);
  if (!number) return {ValueKind::string, {}};
  return {number->integral ? ValueKind::integer : ValueKind::number, number};
}

bool boolean_value(const yaml::Node& node) {
  std::string lower;
  for (char c : node.value) lower += static_cast<char>(c | 0x20);
  return lower == "true" || lower == "yes" || lower == "y" || lower == "on";
}

const char* kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::null: return "null";
    case ValueKind::object: return "object";
    case ValueKind::array: return "array";
    case ValueKind::string: return "string";
    case ValueKind::integer: return "integer";
    case ValueKind::number: return "number";
    case ValueKind::boolean: return "boolean";
  }
  return "value";
}

}  // namespace pushgate::schema
