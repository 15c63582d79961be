#include "validators/schema/schema_lookup.hpp"

#include <algorithm>

namespace pushgate::schema {

std::size_t kind_position(const Tables& tables, std::string_view api_version, std::string_view kind) {
  auto at = std::lower_bound(tables.kinds.begin(), tables.kinds.end(), 0, [&](const KindEntry& e, int) {
    std::string_view v = tables.text(e.api_version);
    return v < api_version || (v == api_version && tables.text(e.kind) < kind);
  });
  return static_cast<std::size_t>(at - tables.kinds.begin());
}

std::uint32_t find_kind(const Tables& tables, std::string_view api_version, std::string_view kind) {
  std::size_t at = kind_position(tables, api_version, kind);
  if (at == tables.kinds.size()) return k_none;
  const KindEntry& e = tables.kinds[at];
  return tables.text(e.api_version) == api_version && tables.text(e.kind) == kind ? e.type : k_none;
}

bool has_api_version(const Tables& tables, std::string_view api_version) {
  std::size_t at = kind_position(tables, api_version, "");
  return at < tables.kinds.size() && tables.text(tables.kinds[at].api_version) == api_version;
}

namespace {

// Three-way comparison of bytes, in a loop rather than a call to memcmp:
// property names are short and mostly differ in their first bytes.
int compare_names(std::string_view a, std::string_view b) {
  std::size_t common = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < common; ++i)
    if (a[i] != b[i]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]) ? -1 : 1;
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

}  // namespace

const Property* find_property(const Tables& tables, const TypeRecord& type, std::string_view name) {
  // Every field of every object takes this search: it stops at the name
  // once found instead of narrowing to its lower bound.
  auto props = tables.properties.subspan(type.properties.first, type.properties.count);
  std::size_t low = 0, high = props.size();
  while (low < high) {
    std::size_t middle = low + (high - low) / 2;
    int order = compare_names(tables.text(props[middle].name), name);
    if (order == 0) return &props[middle];
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return nullptr;
}

}  // namespace pushgate::schema
