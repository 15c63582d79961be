#pragma once
// Searches in the sorted tables of a schema set.

#include <cstdint>
#include <string_view>

#include "validators/schema/property_index.hpp"
#include "validators/schema/schema_format.hpp"

namespace pushgate::schema {

// The position in tables.kinds of the first entry not before
// (api_version, kind): where it is, or would be inserted.
std::size_t kind_position(const Tables& tables, std::string_view api_version, std::string_view kind);

// The root type of `kind` at `api_version`, or k_none.
std::uint32_t find_kind(const Tables& tables, std::string_view api_version, std::string_view kind);

// True when some kind is served at `api_version`.
bool has_api_version(const Tables& tables, std::string_view api_version);

// The property `name` of `type`, or nullptr. `tables` must be those of a
// SchemaSet (they carry its PropertyIndex). Inline: every field takes it.
inline const Property* find_property(const Tables& tables, const TypeRecord& type, std::string_view name) {
  return tables.property_index->find(tables, type.properties, name);
}

}  // namespace pushgate::schema
