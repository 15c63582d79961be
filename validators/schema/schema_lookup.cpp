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

}  // namespace pushgate::schema
