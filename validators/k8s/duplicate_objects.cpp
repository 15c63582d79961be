#include "validators/k8s/duplicate_objects.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "validators/k8s/k8s_kinds.hpp"
#include "validators/tree/tree_index.hpp"

namespace pushgate {

namespace {

// One definition of an object. `object` is null for a file of the index's
// rest, which is never changed.
struct Place {
  std::string_view path;
  int line = 0;
  int column = 0;
  const ObjectRef* object = nullptr;
  bool changed = false;

  auto operator<=>(const Place& other) const {
    return std::tie(path, line, column) <=> std::tie(other.path, other.line, other.column);
  }
};

std::string describe(const ObjectRef& o) {
  std::string kind = o.group.empty() ? o.kind : fmt::format("{}.{}", o.kind, o.group);
  if (is_cluster_scoped(o.kind)) return fmt::format("{} '{}'", kind, o.name);
  if (o.namespace_.empty()) return fmt::format("{} '{}' in namespace 'default' (none set)", kind, o.name);
  return fmt::format("{} '{}' in namespace '{}'", kind, o.name, o.namespace_);
}

void report(const Place& at, const Place& other, std::vector<Finding>& out) {
  Location there{std::string(other.path), other.line, other.column};
  Finding& f = out.emplace_back();
  f.where = Location{std::string(at.path), at.line, at.column};
  f.severity = Severity::error;
  f.rule = "k8s.duplicate";
  f.message = fmt::format("{} is {} defined at {}: applying both would let one replace the other; "
                          "rename or remove one",
                          describe(*at.object), other < at ? "already" : "also", format_location(there));
  f.related.push_back(std::move(there));
}

}  // namespace

void DuplicateObjects::check(const ObjectIndex& index, std::vector<Finding>& out) const {
  std::deque<std::string> identities;  // owns the map's keys; a deque never moves them
  std::unordered_map<std::string_view, std::vector<Place>> places;
  for (const auto& [path, objects] : index.files()) {
    bool changed = index.is_changed(path);
    for (const ObjectRef& object : objects)
      places[identities.emplace_back(identity_of(object))].push_back(
          {path, object.line, object.column, &object, changed});
  }
  // The rest matters only where it defines an object again.
  if (const TreeIndex* rest = index.rest()) {
    for (const TreeIndex::File& file : rest->files())
      for (const TreeIndex::Object& object : rest->objects(file))
        if (auto it = places.find(object.identity); it != places.end())
          it->second.push_back({file.path, object.line, object.column, nullptr, false});
  }
  for (auto& [identity, all] : places) {
    if (all.size() < 2) continue;
    std::sort(all.begin(), all.end());
    bool later_changed = std::any_of(all.begin() + 1, all.end(), [](const Place& p) { return p.changed; });
    for (std::size_t i = 1; i < all.size(); ++i)
      if (all[i].changed) report(all[i], all[0], out);
    // A push that adds only the first definition is still told.
    if (all[0].changed && !later_changed) report(all[0], all[1], out);
  }
}

}  // namespace pushgate
