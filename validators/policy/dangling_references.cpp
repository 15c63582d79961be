#include "validators/policy/dangling_references.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
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

std::string_view namespace_of_object(const ObjectRef& o) {
  return o.namespace_.empty() ? std::string_view("default") : std::string_view(o.namespace_);
}

std::size_t hash_of(std::string_view text) { return std::hash<std::string_view>{}(text); }

// Where a selector waits for the pods that may match it: under the hash of
// its namespace and of a label it requires, or of its namespace alone when
// it requires no single value. Buckets only route: a selector is tried on a
// pod only in its own namespace and against all its requirements, so two
// buckets of one hash cost a try, never a wrong answer.
std::size_t label_bucket(std::size_t namespace_hash, std::string_view key, std::string_view value) {
  auto mix = [](std::size_t seed, std::size_t hash) {
    return seed ^ (hash + 0x9e3779b97f4a7c15u + (seed << 6) + (seed >> 2));
  };
  return mix(mix(namespace_hash, hash_of(key)), hash_of(value));
}

std::size_t selector_bucket(std::string_view ns, const LabelSelector& selector) {
  for (const auto& r : selector.requirements)
    if (r.op == LabelSelector::Op::in && r.values.size() == 1) return label_bucket(hash_of(ns), r.key, r.values[0]);
  return hash_of(ns);
}

// A changed file's object that points at something, and the namespace it
// points in (an object without one is in "default").
struct Referrer {
  const std::string* path;
  const ObjectRef* object;
  std::string_view ns;
};

// What the referrers point at, each marked when the tree has it. The tree's
// objects are seen once, and only until everything is found: a push of ten
// files asks a handful of questions of thousands of objects, so indexing
// them all would cost more than it saves. Selectors are filed in buckets (one
// label they require, else their namespace), so a pod is tried only against
// selectors that can match it, never all of them: a whole tree of Services is
// not matched pairwise. Flat vectors rather than a map node, a key string and
// a vector per selector: `pushgate validate` asks every Service of a large
// tree.
class Wanted {
 public:
  // Everything `referrers` point at: found(i) answers for the i-th
  // reference of them all, in order.
  explicit Wanted(const std::vector<Referrer>& referrers) {
    std::vector<std::pair<std::size_t, std::size_t>> waiting;  // bucket, selector
    for (const Referrer& r : referrers) {
      for (const ObjectReference& ref : r.object->references) {
        if (ref.selector) {
          waiting.emplace_back(selector_bucket(r.ns, *ref.selector), m_selectors.size());
          m_wanted.push_back({false, m_selectors.size()});
          m_selectors.push_back({&*ref.selector, r.ns, false});
          ++m_missing;
          continue;
        }
        std::string wanted = key(ref.target_kind, r.ns, ref.target_name);
        auto it = m_objects.find(wanted);
        if (it == m_objects.end()) {
          it = m_objects.emplace(m_keys.emplace_back(std::move(wanted)), m_objects_found.size()).first;
          m_objects_found.push_back(false);
          ++m_missing;
        }
        m_wanted.push_back({true, it->second});
      }
    }
    std::sort(waiting.begin(), waiting.end());
    for (const auto& [bucket, selector] : waiting) {
      if (m_buckets.empty() || m_buckets.back().hash != bucket)
        m_buckets.push_back({bucket, m_order.size(), m_order.size()});
      m_order.push_back(selector);
      ++m_buckets.back().end;
    }
  }

  // How many are not found yet (an object named twice counts once).
  std::size_t missing() const { return m_missing; }
  bool done() const { return m_missing == 0; }
  bool wants_objects() const { return !m_objects.empty(); }

  // Sees an object of the tree, by its identity.
  void see_object(std::string_view identity) {
    if (auto it = m_objects.find(without_group(identity)); it != m_objects.end() && !m_objects_found[it->second]) {
      m_objects_found[it->second] = true;
      --m_missing;
    }
  }

  // Sees pods in namespace `ns` carrying `labels` (encode_labels).
  void see_pods(std::string_view ns, std::string_view labels) {
    if (m_buckets.empty()) return;
    std::size_t namespace_hash = hash_of(ns);
    try_bucket(namespace_hash, ns, labels);
    for (std::string_view rest = labels; !rest.empty();) {
      std::string_view label = rest.substr(0, rest.find('\n'));
      rest.remove_prefix(std::min(rest.size(), label.size() + 1));
      std::size_t eq = label.find('=');
      std::string_view value = eq == std::string_view::npos ? std::string_view() : label.substr(eq + 1);
      try_bucket(label_bucket(namespace_hash, label.substr(0, eq), value), ns, labels);
    }
  }

  // Whether the tree has what the i-th reference points at.
  bool found(std::size_t i) const {
    const Want& w = m_wanted[i];
    return w.object ? m_objects_found[w.index] : m_selectors[w.index].found;
  }

 private:
  struct Want {
    bool object;        // an object by name, else a selector
    std::size_t index;  // in m_objects_found, or in m_selectors
  };
  struct Selector {
    const LabelSelector* selector;
    std::string_view ns;
    bool found;
  };
  // The selectors not yet found of one bucket: m_order[begin, end).
  struct Bucket {
    std::size_t hash;
    std::size_t begin;
    std::size_t end;
  };

  // Tries the selectors waiting in bucket `hash` on pods of `ns`; found ones leave.
  void try_bucket(std::size_t hash, std::string_view ns, std::string_view labels) {
    auto bucket = std::lower_bound(m_buckets.begin(), m_buckets.end(), hash,
                                   [](const Bucket& b, std::size_t h) { return b.hash < h; });
    if (bucket == m_buckets.end() || bucket->hash != hash) return;
    for (std::size_t i = bucket->begin; i < bucket->end;) {
      Selector& s = m_selectors[m_order[i]];
      if (s.ns != ns || !s.selector->matches(labels)) {
        ++i;
        continue;
      }
      s.found = true;
      --m_missing;
      std::swap(m_order[i], m_order[--bucket->end]);
    }
  }

  static std::string key(std::string_view kind, std::string_view ns, std::string_view name) {
    std::string out;
    out.append(kind).append(1, '\0').append(is_cluster_scoped(kind) ? std::string_view() : ns).append(1, '\0').append(name);
    return out;
  }

  std::vector<Want> m_wanted;  // per reference
  std::vector<Selector> m_selectors;
  std::vector<Bucket> m_buckets;      // sorted by hash
  std::vector<std::size_t> m_order;   // selectors, by bucket
  std::deque<std::string> m_keys;  // owns m_objects' keys; a deque never moves them
  std::unordered_map<std::string_view, std::size_t> m_objects;  // key() -> index in m_objects_found
  std::vector<bool> m_objects_found;
  std::size_t m_missing = 0;
};

RuleId rule_of(ReferenceKind kind) {
  switch (kind) {
    case ReferenceKind::service_selector: return "policy.dangling-service";
    case ReferenceKind::pdb_selector: return "policy.dangling-pdb";
    case ReferenceKind::hpa_target: return "policy.dangling-hpa";
    case ReferenceKind::ingress_backend: return "policy.dangling-ingress";
  }
  return "policy.dangling-service";
}

// Plain appends rather than fmt::format: `pushgate validate` may report
// every Service of a large tree, and formatting was a third of the check.
std::string message(const ObjectRef& from, const ObjectReference& ref, std::string_view ns) {
  std::string out;
  out.reserve(320);
  out.append(from.kind).append(" '").append(from.name).append("' ");
  if (ref.selector) {
    out.append("selects ").append(ref.selector->describe());
    out.append(", which no pod template of the tree in namespace '").append(ns).append("' carries: fix the ");
    out.append("selector or the pods' labels (or exempt it, with the reason, when its pods are deployed from "
               "elsewhere)");
    return out;
  }
  out.append("points at ").append(ref.target_kind).append(" '").append(ref.target_name);
  out.append("', which is not in the tree in namespace '").append(ns).append("': fix the name, or add the ");
  out.append(ref.target_kind).append(" (or exempt it, with the reason, when it is deployed from elsewhere)");
  return out;
}

}  // namespace

void DanglingReferences::check(const ObjectIndex& index, std::vector<Finding>& out) const {
  // One pass over the objects finds what points and keeps the pods apart,
  // so the pods are not looked for among the objects again: on a large tree
  // they are spread over the heap.
  std::vector<Referrer> referrers;
  std::vector<std::pair<std::string_view, std::string_view>> pods;  // namespace, labels
  for (const auto& [path, objects] : index.files()) {
    bool points = false;
    for (const ObjectRef& o : objects) {
      points = points || !o.references.empty();
      // The namespace its identity would hold.
      if (o.pod_labels) pods.emplace_back(is_cluster_scoped(o.kind) ? "" : namespace_of_object(o), *o.pod_labels);
    }
    if (points && index.is_changed(path))
      for (const ObjectRef& o : objects)
        if (!o.references.empty()) referrers.push_back({&path, &o, namespace_of_object(o)});
  }
  if (referrers.empty() || !index.complete()) return;
  Wanted wanted(referrers);
  for (auto pod = pods.begin(); pod != pods.end() && !wanted.done(); ++pod) wanted.see_pods(pod->first, pod->second);
  std::string identity;
  if (wanted.wants_objects())
    for (auto file = index.files().begin(); file != index.files().end() && !wanted.done(); ++file)
      for (const ObjectRef& o : file->second) {
        identity.clear();
        append_identity(identity, o);
        wanted.see_object(identity);
      }
  if (const TreeIndex* rest = index.rest())
    for (auto file = rest->files().begin(); file != rest->files().end() && !wanted.done(); ++file)
      for (const TreeIndex::Object& o : rest->objects(*file)) {
        if (wanted.wants_objects()) wanted.see_object(o.identity);
        if (o.runs_pods) wanted.see_pods(namespace_of(o.identity), o.pod_labels);
      }
  out.reserve(out.size() + wanted.missing());
  std::size_t i = 0;
  for (const Referrer& r : referrers) {
    for (const ObjectReference& ref : r.object->references) {
      if (wanted.found(i++)) continue;
      RuleId rule = rule_of(ref.kind);
      SharedText path = shared_path(out, *r.path);
      Finding& f = out.emplace_back();
      f.where = Location{std::move(path), ref.line, ref.column};
      f.severity = policy_severity(rule);
      f.rule = rule;
      f.message = message(*r.object, ref, r.ns);
    }
  }
}

}  // namespace pushgate
