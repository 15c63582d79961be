#pragma once
// The tables of a schema set while it is being compiled: growable vectors
// with interned strings. tables() shows them as the flat Tables the checker
// and the compact form read.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "validators/schema/schema_format.hpp"

namespace pushgate::schema {

class Model {
 public:
  Model() = default;
  // A copy of `tables` (a loaded compiled form) to add more schemas to.
  explicit Model(const Tables& tables);

  // The string table entry for `text`; equal texts share one entry.
  StrRef intern(std::string_view text);

  // Appends a type and returns its index.
  std::uint32_t add_type(const TypeRecord& type = {});
  TypeRecord& type(std::uint32_t index) { return m_types[index]; }
  std::uint32_t type_count() const { return static_cast<std::uint32_t>(m_types.size()); }
  std::uint32_t add_constraints(const Constraints& constraints);

  // Appends a run of entries and returns where it is; properties are sorted
  // by name so lookups can search.
  Span add_properties(std::vector<Property> properties);
  Span add_strings(const std::vector<std::string>& texts);
  Span add_type_list(const std::vector<std::uint32_t>& types);

  // Serves `type` as `kind` at `api_version`, replacing an earlier entry.
  void add_kind(std::string_view api_version, std::string_view kind, std::uint32_t type);
  void set_object_meta(std::uint32_t type) { m_object_meta = type; }

  // A view of the tables; valid until the next change.
  Tables tables() const;

 private:
  std::vector<TypeRecord> m_types;
  std::vector<Constraints> m_constraints;
  std::vector<Property> m_properties;
  std::vector<std::uint32_t> m_type_lists;
  std::vector<StrRef> m_string_lists;
  std::vector<KindEntry> m_kinds;  // sorted
  std::string m_strings;
  std::unordered_map<std::string, StrRef> m_interned;
  std::uint32_t m_object_meta = k_none;
};

}  // namespace pushgate::schema
