#include "validators/schema/json_value.hpp"

#include <string>

namespace pushgate::schema {

namespace {

// The longest run of decimal digits that always fits an int64.
constexpr std::size_t k_safe_digits = 18;

// Plain decimal digits (a port, a count): the commonest number, read here
// as scalar_type and parse_number would read it, without either's copy.
std::optional<Number> plain_digits(std::string_view text) {
  if (text.empty() || text.size() > k_safe_digits) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return Number{true, true, value, static_cast<double>(value)};
}

}  // namespace

Value classify_plain(const yaml::Node& n) {
  if (n.kind == yaml::NodeKind::scalar)
    if (auto digits = plain_digits(n.value)) return {ValueKind::integer, digits};
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
