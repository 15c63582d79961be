#include "validators/policy/dangling_references.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include "validators/k8s/k8s_kinds.hpp"
#include "validators/policy/policy_catalog.hpp"
#include "validators/tree/tree_index.hpp"

namespace pushgate {

namespace {

// An identity (identity_of) without its group: "kind\0namespace\0name".
// A scaleTargetRef may leave its apiVersion out, or name an older group.
std::string_view without_group(std::string_view identity) { return identity.substr(identity.find('\0') + 1); }

std::string_view namespace_of(std::string_view identity) {
  std::string_view rest = without_group(identity);
  rest.remove_prefix(rest.find('\0') + 1);
  return rest.substr(0, rest.find('\0'));
}

// "namespace\0key=value": pods of one namespace carrying one label.
std::string label_key(std::string_view ns, std::string_view label) {
  std::string key(ns);
  key.append(1, '\0').append(label);
  return key;
}

// What the changed files point at, each marked when the tree has it. The
// tree's objects are seen once, and only until everything is found: a push
// of ten files asks a handful of questions of thousands of objects, so
// indexing them all would cost more than it saves. Selectors are filed
// under one label they require (else under their namespace), so a pod is
// tried only against selectors that can match it, never all of them: a
// whole tree of Services is not matched pairwise.
class Wanted {
 public:
  void want(std::string_view ns, const ObjectReference& ref) {
    if (ref.selector) {
      std::size_t index = m_selectors.size();
      m_selectors.push_back({&*ref.selector, false});
      m_selector_index.emplace(&*ref.selector, index);
      m_waiting[bucket(ns, *ref.selector)].push_back(index);
      ++m_missing;
      return;
    }
    std::string wanted = key(ref.target_kind, ns, ref.target_name);
    if (m_objects.contains(wanted)) return;
    m_objects.emplace(m_keys.emplace_back(std::move(wanted)), false);
    ++m_missing;
  }

  // Sees one object of the tree; `pod_labels` when it runs pods.
  void see(std::string_view identity, const std::string_view* pod_labels) {
    if (m_missing == 0) return;
    if (auto it = m_objects.find(without_group(identity)); it != m_objects.end() && !it->second) {
      it->second = true;
      --m_missing;
    }
    if (!pod_labels || m_waiting.empty()) return;
    // The buckets' keys are built in one buffer: a string per label of every
    // pod template would cost more than the matching.
    m_bucket = label_key(namespace_of(identity), "");
    std::size_t base = m_bucket.size();
    try_bucket(m_bucket, *pod_labels);
    for (std::string_view labels = *pod_labels; !labels.empty();) {
      std::size_t end = labels.find('\n');
      m_bucket.resize(base);
      m_bucket.append(labels.substr(0, end));
      try_bucket(m_bucket, *pod_labels);
      labels.remove_prefix(end == std::string_view::npos ? labels.size() : end + 1);
    }
  }

  // Whether the tree has what `ref` (wanted in `ns`) points at.
  bool found(std::string_view ns, const ObjectReference& ref) const {
    if (!ref.selector) return m_objects.at(key(ref.target_kind, ns, ref.target_name));
    return m_selectors[m_selector_index.at(&*ref.selector)].found;
  }

 private:
  struct Selector {
    const LabelSelector* selector;
    bool found;
  };

  // Where a selector waits: under a label it requires, or under its
  // namespace alone ("namespace\0") when it requires no single value.
  static std::string bucket(std::string_view ns, const LabelSelector& selector) {
    for (const auto& r : selector.requirements)
      if (r.op == LabelSelector::Op::in && r.values.size() == 1) return label_key(ns, r.key + "=" + r.values[0]);
    return label_key(ns, "");
  }

  // Tries the selectors waiting under `key` on `labels`; found ones leave.
  void try_bucket(const std::string& key, std::string_view labels) {
    auto it = m_waiting.find(key);
    if (it == m_waiting.end()) return;
    std::vector<std::size_t>& waiting = it->second;
    for (std::size_t i = 0; i < waiting.size();) {
      Selector& s = m_selectors[waiting[i]];
      if (!s.selector->matches(labels)) {
        ++i;
        continue;
      }
      s.found = true;
      --m_missing;
      waiting[i] = waiting.back();
      waiting.pop_back();
    }
    if (waiting.empty()) m_waiting.erase(it);
  }

  static std::string key(std::string_view kind, std::string_view ns, std::string_view name) {
    std::string out;
    out.append(kind).append(1, '\0').append(is_cluster_scoped(kind) ? std::string_view() : ns).append(1, '\0').append(name);
    return out;
  }

  std::deque<std::string> m_keys;  // owns m_objects' keys; a deque never moves them
  std::unordered_map<std::string_view, bool> m_objects;
  std::vector<Selector> m_selectors;
  std::unordered_map<const LabelSelector*, std::size_t> m_selector_index;
  std::unordered_map<std::string, std::vector<std::size_t>> m_waiting;  // by bucket: selectors not yet found
  std::size_t m_missing = 0;
  std::string m_bucket;  // see()'s key
};

std::string_view rule_of(ReferenceKind kind) {
  switch (kind) {
    case ReferenceKind::service_selector: return "policy.dangling-service";
    case ReferenceKind::pdb_selector: return "policy.dangling-pdb";
    case ReferenceKind::hpa_target: return "policy.dangling-hpa";
    case ReferenceKind::ingress_backend: return "policy.dangling-ingress";
  }
  return "policy.dangling-service";
}

std::string message(const ObjectRef& from, const ObjectReference& ref, std::string_view ns) {
  if (ref.selector) {
    return fmt::format("{} '{}' selects {}, which no pod template of the tree in namespace '{}' carries: fix the "
                       "selector or the pods' labels (or exempt it, with the reason, when its pods are deployed "
                       "from elsewhere)",
                       from.kind, from.name, ref.selector->describe(), ns);
  }
  return fmt::format("{} '{}' points at {} '{}', which is not in the tree in namespace '{}': fix the name, or add "
                     "the {} (or exempt it, with the reason, when it is deployed from elsewhere)",
                     from.kind, from.name, ref.target_kind, ref.target_name, ns, ref.target_kind);
}

}  // namespace

void DanglingReferences::check(const ObjectIndex& index, std::vector<Finding>& out) const {
  std::vector<std::pair<const std::string*, const ObjectRef*>> referrers;
  for (const auto& [path, objects] : index.files())
    if (index.is_changed(path))
      for (const ObjectRef& o : objects)
        if (!o.references.empty()) referrers.emplace_back(&path, &o);
  if (referrers.empty() || !index.complete()) return;
  auto namespace_of_object = [](const ObjectRef& o) {
    return o.namespace_.empty() ? std::string_view("default") : std::string_view(o.namespace_);
  };
  Wanted wanted;
  for (const auto& [path, object] : referrers)
    for (const ObjectReference& ref : object->references) wanted.want(namespace_of_object(*object), ref);
  std::string identity;
  for (const auto& [path, objects] : index.files()) {
    for (const ObjectRef& o : objects) {
      std::string_view labels = o.pod_labels ? std::string_view(*o.pod_labels) : std::string_view();
      identity.clear();
      append_identity(identity, o);
      wanted.see(identity, o.pod_labels ? &labels : nullptr);
    }
  }
  if (const TreeIndex* rest = index.rest())
    for (const TreeIndex::File& file : rest->files())
      for (const TreeIndex::Object& o : rest->objects(file)) wanted.see(o.identity, o.runs_pods ? &o.pod_labels : nullptr);
  for (const auto& [path, object] : referrers) {
    std::string_view ns = namespace_of_object(*object);
    for (const ObjectReference& ref : object->references) {
      if (wanted.found(ns, ref)) continue;
      std::string_view rule = rule_of(ref.kind);
      Finding& f = out.emplace_back();
      f.where = Location{*path, ref.line, ref.column};
      f.severity = policy_severity(rule);
      f.rule = rule;
      f.message = message(*object, ref, ns);
    }
  }
}

}  // namespace pushgate
