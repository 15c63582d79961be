#pragma once
// The items of a list that repeat an earlier one, where Kubernetes' list
// types forbid it: `x-kubernetes-list-type: map` (items equal in the values
// of the list's keys) and `set` or `uniqueItems` (scalar items). Each
// repeating item once, in list order; empty, without allocating, when none
// repeats.

#include <cstddef>
#include <span>
#include <vector>

#include "core/yaml/yaml_tree.hpp"
#include "validators/schema/schema_format.hpp"

namespace pushgate::schema {

// Positions in `items` of the entries whose values of the fields `keys`
// (texts of `tables`) equal those of an earlier entry.
std::vector<std::size_t> repeated_map_entries(const yaml::Document& doc, const Tables& tables,
                                              std::span<const StrRef> keys, std::span<const yaml::NodeId> items);

// Positions in `items` of the scalars equal to an earlier scalar.
std::vector<std::size_t> repeated_scalars(const yaml::Document& doc, std::span<const yaml::NodeId> items);

}  // namespace pushgate::schema
