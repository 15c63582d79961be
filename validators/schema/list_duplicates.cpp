#include "validators/schema/list_duplicates.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <unordered_set>

#include "validators/k8s/k8s_object.hpp"

namespace pushgate::schema {

namespace {

// Lists keyed by one field (containers, env, volumes, mounts by name) and
// up to this long are searched pairwise over views of the values, without
// a hash set and a string per item.
constexpr std::size_t k_small_list = 16;

}  // namespace

std::vector<std::size_t> repeated_map_entries(const yaml::Document& doc, const Tables& tables,
                                              std::span<const StrRef> keys, std::span<const yaml::NodeId> items) {
  std::vector<std::size_t> repeated;
  if (keys.size() == 1 && items.size() <= k_small_list) {
    std::array<std::string_view, k_small_list> values;
    for (std::size_t i = 0; i < items.size(); ++i) {
      values[i] = scalar_text(doc, doc.find(items[i], tables.text(keys[0])));
      if (std::find(values.begin(), values.begin() + i, values[i]) != values.begin() + i) repeated.push_back(i);
    }
    return repeated;
  }
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string key;
    for (const StrRef& name : keys) key.append(scalar_text(doc, doc.find(items[i], tables.text(name)))).push_back('\0');
    if (!seen.insert(std::move(key)).second) repeated.push_back(i);
  }
  return repeated;
}

std::vector<std::size_t> repeated_scalars(const yaml::Document& doc, std::span<const yaml::NodeId> items) {
  std::vector<std::size_t> repeated;
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const yaml::Node& item = doc.node(items[i]);
    if (item.kind == yaml::NodeKind::scalar && !seen.insert(item.value).second) repeated.push_back(i);
  }
  return repeated;
}

}  // namespace pushgate::schema
