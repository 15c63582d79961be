#include "validators/policy/dangling_references.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "validators/k8s/k8s_kinds.hpp"
#include "validators/policy/policy_catalog.hpp"
#include "validators/tree/tree_index.hpp"

namespace pushgate {

namespace {

struct Pods {
  std::string_view namespace_;
  std::string_view labels;
};

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

// What the tree holds, gathered only when a changed file points at something.
class Tree {
 public:
  explicit Tree(const ObjectIndex& index) {
    for (const auto& [path, objects] : index.files()) {
      for (const ObjectRef& o : objects) {
        std::string_view identity = m_storage.emplace_back(identity_of(o));
        m_objects.insert(without_group(identity));
        if (o.pod_labels) m_pods.push_back({namespace_of(identity), *o.pod_labels});
      }
    }
    if (const TreeIndex* rest = index.rest()) {
      for (const TreeIndex::File& file : rest->files()) {
        for (const TreeIndex::Object& o : rest->objects(file)) {
          m_objects.insert(without_group(o.identity));
          if (o.runs_pods) m_pods.push_back({namespace_of(o.identity), o.pod_labels});
        }
      }
    }
    // Selectors are looked up by one label they require, so a tree of many
    // Services and workloads is not checked pairwise.
    for (std::size_t i = 0; i < m_pods.size(); ++i) {
      m_in_namespace[m_pods[i].namespace_].push_back(i);
      std::string_view labels = m_pods[i].labels;
      while (!labels.empty()) {
        std::size_t end = labels.find('\n');
        m_with_label[label_key(m_pods[i].namespace_, labels.substr(0, end))].push_back(i);
        labels.remove_prefix(end == std::string_view::npos ? labels.size() : end + 1);
      }
    }
  }

  bool any_pods(std::string_view ns, const LabelSelector& selector) const {
    const std::vector<std::size_t>* candidates = nullptr;
    for (const auto& r : selector.requirements) {
      if (r.op != LabelSelector::Op::in || r.values.size() != 1) continue;
      auto it = m_with_label.find(label_key(ns, r.key + "=" + r.values[0]));
      if (it == m_with_label.end()) return false;
      candidates = &it->second;
      break;
    }
    if (!candidates) {
      auto it = m_in_namespace.find(ns);
      if (it == m_in_namespace.end()) return false;
      candidates = &it->second;
    }
    return std::any_of(candidates->begin(), candidates->end(),
                       [&](std::size_t i) { return selector.matches(m_pods[i].labels); });
  }
  bool has(std::string_view kind, std::string_view ns, std::string_view name) const {
    std::string key;
    key.append(kind).append(1, '\0').append(is_cluster_scoped(kind) ? std::string_view() : ns).append(1, '\0').append(name);
    return m_objects.contains(key);
  }

 private:
  std::deque<std::string> m_storage;  // owns the views of files() identities
  std::unordered_set<std::string_view> m_objects;
  std::vector<Pods> m_pods;
  std::unordered_map<std::string_view, std::vector<std::size_t>> m_in_namespace;  // indices into m_pods
  std::unordered_map<std::string, std::vector<std::size_t>> m_with_label;        // by label_key
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
  Tree tree(index);
  for (const auto& [path, object] : referrers) {
    std::string_view ns = object->namespace_.empty() ? "default" : std::string_view(object->namespace_);
    for (const ObjectReference& ref : object->references) {
      bool found = ref.selector ? tree.any_pods(ns, *ref.selector) : tree.has(ref.target_kind, ns, ref.target_name);
      if (found) continue;
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
