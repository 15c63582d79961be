#pragma once
// A hash table over the kinds of a schema set: every object's apiVersion
// and kind are looked up once, which a binary search of the sorted kinds
// did with about ten pairs of string comparisons. Built, like the
// PropertyIndex, whenever a set is loaded or changed.

#include <cstdint>
#include <string_view>
#include <vector>

#include "validators/schema/schema_format.hpp"

namespace pushgate::schema {

class KindIndex {
 public:
  explicit KindIndex(const Tables& tables);

  // The root type of `kind` at `api_version` in the tables this index was
  // built from, or k_none.
  std::uint32_t find(const Tables& tables, std::string_view api_version, std::string_view kind) const;

 private:
  std::vector<std::uint32_t> m_slots;  // indexes into Tables::kinds; k_none: free
  std::size_t m_mask = 0;
};

}  // namespace pushgate::schema
