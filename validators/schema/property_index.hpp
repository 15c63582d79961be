#pragma once
// A hash table over the properties of every type of a schema set. Every
// field of every object is looked up among its type's properties: here that
// costs a hash of the name and, mostly, one comparison of two words
// (name_key.hpp), where a binary search of the sorted run compared strings
// at each step. Built from the tables whenever a set is loaded or changed;
// not part of the compact form. The lookup is inline: it is on the path of
// every field.

#include <cstdint>
#include <string_view>
#include <vector>

#include "validators/schema/name_key.hpp"
#include "validators/schema/schema_format.hpp"

namespace pushgate::schema {

class PropertyIndex {
 public:
  // Indexes the properties of every type of `tables`, whose runs of
  // properties must be disjoint or identical (as the compiler makes them and
  // from_compiled checks), so the table holds at most one entry per property.
  explicit PropertyIndex(const Tables& tables);

  // The property `name` in the run `properties` of a type of the tables
  // this index was built from, or nullptr.
  const Property* find(const Tables& tables, Span properties, std::string_view name) const {
    if (properties.count == 0) return nullptr;
    NameKey key(name);
    for (std::size_t slot = key.hash(properties.first) & m_mask;; slot = (slot + 1) & m_mask) {
      std::uint32_t index = m_slots[slot];
      if (index == k_none) return nullptr;
      const Property& p = tables.properties[index];
      if (index - properties.first < properties.count && key.names(tables.text(p.name))) return &p;
    }
  }

 private:
  std::vector<std::uint32_t> m_slots;  // indexes into Tables::properties; k_none: free
  std::size_t m_mask = 0;
};

}  // namespace pushgate::schema
