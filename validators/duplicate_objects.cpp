#include "validators/duplicate_objects.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "validators/k8s_kinds.hpp"

namespace pushgate {

namespace {

struct Place {
  const std::string* path;
  const ObjectRef* object;
};

// Group, kind, namespace and name joined by NUL, which none of them can hold
// as a key in a valid manifest and which only joins, never splits.
std::string identity_of(const ObjectRef& o) {
  // Every branch must be a string_view: mixing in the std::string member
  // would make the whole expression a temporary string and leave ns dangling.
  std::string_view ns = is_cluster_scoped(o.kind)  ? std::string_view()
                        : o.namespace_.empty()     ? std::string_view("default")
                                                   : std::string_view(o.namespace_);
  std::string id;
  id.reserve(o.group.size() + o.kind.size() + ns.size() + o.name.size() + 3);
  id.append(o.group).append(1, '\0').append(o.kind).append(1, '\0').append(ns).append(1, '\0').append(o.name);
  return id;
}

std::string describe(const ObjectRef& o) {
  std::string kind = o.group.empty() ? o.kind : fmt::format("{}.{}", o.kind, o.group);
  if (is_cluster_scoped(o.kind)) return fmt::format("{} '{}'", kind, o.name);
  if (o.namespace_.empty()) return fmt::format("{} '{}' in namespace 'default' (none set)", kind, o.name);
  return fmt::format("{} '{}' in namespace '{}'", kind, o.name, o.namespace_);
}

}  // namespace

void DuplicateObjects::check(const ObjectIndex& index, std::vector<Finding>& out) const {
  std::unordered_map<std::string, Place> first;
  for (const auto& [path, objects] : index.files()) {
    for (const ObjectRef& object : objects) {
      auto [it, inserted] = first.try_emplace(identity_of(object), Place{&path, &object});
      if (inserted) continue;
      const Place& earlier = it->second;
      if (!index.is_changed(path) && !index.is_changed(*earlier.path)) continue;
      Location there{*earlier.path, earlier.object->line, earlier.object->column};
      Finding& f = out.emplace_back();
      f.where = Location{path, object.line, object.column};
      f.severity = Severity::error;
      f.rule = "k8s.duplicate";
      f.message = fmt::format("{} is already defined at {}: applying both would let one replace "
                              "the other; rename or remove one",
                              describe(object), format_location(there));
      f.related.push_back(std::move(there));
    }
  }
}

}  // namespace pushgate
