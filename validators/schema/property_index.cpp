#include "validators/schema/property_index.hpp"

namespace pushgate::schema {

PropertyIndex::PropertyIndex(const Tables& tables) {
  // At most half full: a missing name ends its probe soon.
  std::size_t size = 16;
  while (size < 2 * tables.properties.size()) size *= 2;
  m_slots.assign(size, k_none);
  m_mask = size - 1;
  for (const TypeRecord& type : tables.types) {
    Span run = type.properties;
    for (std::uint32_t i = run.first; i - run.first < run.count; ++i) {
      NameKey key(tables.text(tables.properties[i].name));
      std::size_t slot = key.hash(run.first) & m_mask;
      // A run indexed already (another type with the same run) or a name
      // twice in one run keeps the entry it has.
      while (m_slots[slot] != k_none &&
             !(m_slots[slot] - run.first < run.count && key.names(tables.text(tables.properties[m_slots[slot]].name))))
        slot = (slot + 1) & m_mask;
      if (m_slots[slot] == k_none) m_slots[slot] = i;
    }
  }
}

}  // namespace pushgate::schema
