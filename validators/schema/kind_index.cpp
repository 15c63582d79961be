#include "validators/schema/kind_index.hpp"

#include "validators/schema/name_key.hpp"

namespace pushgate::schema {

namespace {

std::uint64_t slot_hash(const NameKey& api_version, const NameKey& kind) {
  return api_version.hash(0) ^ kind.hash(1);
}

bool names(const Tables& tables, const KindEntry& entry, const NameKey& api_version, const NameKey& kind) {
  return api_version.names(tables.text(entry.api_version)) && kind.names(tables.text(entry.kind));
}

}  // namespace

KindIndex::KindIndex(const Tables& tables) {
  std::size_t size = 16;  // at most half full
  while (size < 2 * tables.kinds.size()) size *= 2;
  m_slots.assign(size, k_none);
  m_mask = size - 1;
  for (std::uint32_t i = 0; i < tables.kinds.size(); ++i) {
    NameKey api_version(tables.text(tables.kinds[i].api_version)), kind(tables.text(tables.kinds[i].kind));
    std::size_t slot = slot_hash(api_version, kind) & m_mask;
    // The first of two equal entries answers, as no compiled set has two.
    while (m_slots[slot] != k_none && !names(tables, tables.kinds[m_slots[slot]], api_version, kind))
      slot = (slot + 1) & m_mask;
    if (m_slots[slot] == k_none) m_slots[slot] = i;
  }
}

std::uint32_t KindIndex::find(const Tables& tables, std::string_view api_version, std::string_view kind) const {
  NameKey version_key(api_version), kind_key(kind);
  for (std::size_t slot = slot_hash(version_key, kind_key) & m_mask;; slot = (slot + 1) & m_mask) {
    std::uint32_t index = m_slots[slot];
    if (index == k_none) return k_none;
    if (names(tables, tables.kinds[index], version_key, kind_key)) return tables.kinds[index].type;
  }
}

}  // namespace pushgate::schema
