#include "validators/k8s/duplicate_objects.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "validators/k8s/k8s_kinds.hpp"
#include "validators/tree/tree_index.hpp"

namespace pushgate {

namespace {

// One definition of an object. `object` is null for a file of the index's
// rest, which is never changed; `changed` is set once the object is known to
// be defined again.
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

std::size_t hash_of(std::string_view identity) { return std::hash<std::string_view>{}(identity); }

// The first place of each identity, found by its hash: open addressing over
// the places' indexes, since a hash map node (and an identity string) per
// object would cost more than the check on a large tree, where nearly every
// identity is seen once. Identities are built again only to compare two
// whose hashes are equal.
class FirstPlaces {
 public:
  // For up to `count` places, whose hashes are added to `hashes` as they are.
  FirstPlaces(const std::vector<Place>& places, const std::vector<std::size_t>& hashes, std::size_t count)
      : m_places(places), m_hashes(hashes), m_slots(std::bit_ceil(2 * count + 1)) {}

  // The slot of `identity` (hashed `hash`): the index of its first place
  // plus one, or 0 where none is yet.
  std::uint32_t& slot(std::string_view identity, std::size_t hash) {
    for (std::size_t i = hash & (m_slots.size() - 1);; i = (i + 1) & (m_slots.size() - 1)) {
      std::uint32_t& s = m_slots[i];
      if (s == 0) return s;
      if (m_hashes[s - 1] != hash) continue;
      m_identity.clear();
      append_identity(m_identity, *m_places[s - 1].object);
      if (m_identity == identity) return s;
    }
  }

 private:
  const std::vector<Place>& m_places;
  const std::vector<std::size_t>& m_hashes;
  std::vector<std::uint32_t> m_slots;
  std::string m_identity;
};

std::string describe(const ObjectRef& o) {
  std::string kind = o.group.empty() ? o.kind : fmt::format("{}.{}", o.kind, o.group);
  if (is_cluster_scoped(o.kind)) return fmt::format("{} '{}'", kind, o.name);
  if (o.namespace_.empty()) return fmt::format("{} '{}' in namespace 'default' (none set)", kind, o.name);
  return fmt::format("{} '{}' in namespace '{}'", kind, o.name, o.namespace_);
}

void report(const Place& at, const Place& other, std::vector<Finding>& out) {
  Location there{other.path, other.line, other.column};
  Finding& f = out.emplace_back();
  f.where = Location{at.path, at.line, at.column};
  f.severity = Severity::error;
  f.rule = "k8s.duplicate";
  f.message = fmt::format("{} is {} defined at {}: applying both would let one replace the other; "
                          "rename or remove one",
                          describe(*at.object), other < at ? "already" : "also", format_location(there));
  f.related.push_back(std::move(there));
}

}  // namespace

void DuplicateObjects::check(const ObjectIndex& index, std::vector<Finding>& out) const {
  std::size_t count = 0;
  for (const auto& [path, objects] : index.files()) count += objects.size();
  std::vector<Place> places;
  std::vector<std::size_t> hashes;  // of each place's identity
  places.reserve(count);
  hashes.reserve(count);
  FirstPlaces first(places, hashes, count);
  std::unordered_map<std::size_t, std::vector<Place>> groups;  // by first place: all its places
  auto add_to_group = [&](std::size_t first_place, const Place& place) {
    std::vector<Place>& group = groups[first_place];
    if (group.empty()) group.push_back(places[first_place]);
    group.push_back(place);
  };
  std::string identity;
  for (const auto& [path, objects] : index.files()) {
    for (const ObjectRef& object : objects) {
      identity.clear();
      append_identity(identity, object);
      places.push_back({path, object.line, object.column, &object});
      hashes.push_back(hash_of(identity));
      std::uint32_t& slot = first.slot(identity, hashes.back());
      if (slot == 0) slot = static_cast<std::uint32_t>(places.size());
      else add_to_group(slot - 1, places.back());
    }
  }
  // The rest matters only where it defines an object again.
  if (const TreeIndex* rest = index.rest()) {
    for (const TreeIndex::File& file : rest->files())
      for (const TreeIndex::Object& object : rest->objects(file))
        if (std::uint32_t slot = first.slot(object.identity, hash_of(object.identity)); slot != 0)
          add_to_group(slot - 1, {file.path, object.line, object.column, nullptr, false});
  }
  for (auto& [place, all] : groups) {
    // Asked only here, of the few files that define an object again.
    for (Place& p : all) p.changed = p.object && index.is_changed(p.path);
    std::sort(all.begin(), all.end());
    bool later_changed = std::any_of(all.begin() + 1, all.end(), [](const Place& p) { return p.changed; });
    for (std::size_t i = 1; i < all.size(); ++i)
      if (all[i].changed) report(all[i], all[0], out);
    // A push that adds only the first definition is still told.
    if (all[0].changed && !later_changed) report(all[0], all[1], out);
  }
}

}  // namespace pushgate
