#include "validators/schema/schema_lookup.hpp"

#include <algorithm>

namespace pushgate::schema {

namespace {

// Three-way comparison of names: most differ in their first byte, which
// decides without a call to memcmp.
int compare_names(std::string_view a, std::string_view b) {
  if (!a.empty() && !b.empty() && a[0] != b[0])
    return static_cast<unsigned char>(a[0]) < static_cast<unsigned char>(b[0]) ? -1 : 1;
  return a.compare(b);
}

}  // namespace

std::size_t kind_position(const Tables& tables, std::string_view api_version, std::string_view kind) {
  auto at = std::partition_point(tables.kinds.begin(), tables.kinds.end(), [&](const KindEntry& e) {
    int order = compare_names(tables.text(e.api_version), api_version);
    return order < 0 || (order == 0 && compare_names(tables.text(e.kind), kind) < 0);
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

}  // namespace pushgate::schema
