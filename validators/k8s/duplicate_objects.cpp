#include "validators/k8s/duplicate_objects.hpp"

#include <fmt/format.h>

#include <algorithm>
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
  // Every identity in one buffer, and a group of places only for an identity
  // seen twice: a string and a vector per object cost more than the check on
  // a large tree, where nearly every identity is seen once.
  std::vector<Place> places;
  std::vector<std::size_t> ends;  // where each place's identity ends in `identities`
  std::string identities;
  for (const auto& [path, objects] : index.files()) {
    bool changed = index.is_changed(path);
    for (const ObjectRef& object : objects) {
      append_identity(identities, object);
      ends.push_back(identities.size());
      places.push_back({path, object.line, object.column, &object, changed});
    }
  }
  std::unordered_map<std::string_view, std::size_t> first;  // identity -> its first place
  first.reserve(places.size());
  std::unordered_map<std::size_t, std::vector<Place>> groups;  // by first place: all its places
  auto add_to_group = [&](std::size_t first_place, const Place& place) {
    std::vector<Place>& group = groups[first_place];
    if (group.empty()) group.push_back(places[first_place]);
    group.push_back(place);
  };
  for (std::size_t i = 0, start = 0; i < places.size(); start = ends[i++]) {
    auto [it, fresh] = first.emplace(std::string_view(identities).substr(start, ends[i] - start), i);
    if (!fresh) add_to_group(it->second, places[i]);
  }
  // The rest matters only where it defines an object again.
  if (const TreeIndex* rest = index.rest()) {
    for (const TreeIndex::File& file : rest->files())
      for (const TreeIndex::Object& object : rest->objects(file))
        if (auto it = first.find(object.identity); it != first.end())
          add_to_group(it->second, {file.path, object.line, object.column, nullptr, false});
  }
  for (auto& [place, all] : groups) {
    std::sort(all.begin(), all.end());
    bool later_changed = std::any_of(all.begin() + 1, all.end(), [](const Place& p) { return p.changed; });
    for (std::size_t i = 1; i < all.size(); ++i)
      if (all[i].changed) report(all[i], all[0], out);
    // A push that adds only the first definition is still told.
    if (all[0].changed && !later_changed) report(all[0], all[1], out);
  }
}

}  // namespace pushgate
