#include "validators/policy/field_values.hpp"

#include <charconv>

#include "validators/yaml/scalar_type.hpp"

namespace pushgate {

std::optional<bool> boolean_at(const yaml::Document& doc, yaml::NodeId node) {
  if (node == yaml::k_no_node) return std::nullopt;
  const yaml::Node& n = doc.node(node);
  if (n.kind != yaml::NodeKind::scalar || scalar_type(n) != ScalarType::boolean) return std::nullopt;
  char first = static_cast<char>(n.value[0] | 0x20);
  // y, yes, true, on; and n, no, false, off.
  return first == 'y' || first == 't' || (first == 'o' && n.value.size() == 2);
}

std::optional<std::int64_t> integer_at(const yaml::Document& doc, yaml::NodeId node) {
  if (node == yaml::k_no_node) return std::nullopt;
  const yaml::Node& n = doc.node(node);
  if (n.kind != yaml::NodeKind::scalar || !n.plain) return std::nullopt;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(n.value.data(), n.value.data() + n.value.size(), value);
  if (error != std::errc() || end != n.value.data() + n.value.size()) return std::nullopt;
  return value;
}

bool is_empty_at(const yaml::Document& doc, yaml::NodeId node) {
  return node == yaml::k_no_node || doc.node(node).children.empty();
}

}  // namespace pushgate
