#include "validators/k8s/object_references.hpp"

#include <algorithm>

#include "validators/k8s/k8s_object.hpp"

namespace pushgate {

namespace {

using yaml::k_no_node;
using yaml::NodeId;
using yaml::NodeKind;

void add_selector(const yaml::Document& doc, ReferenceKind kind, NodeId at, std::optional<LabelSelector> selector,
                  std::vector<ObjectReference>& out) {
  if (!selector) return;
  const yaml::Mark& mark = doc.node(at).mark;
  out.push_back({kind, std::move(selector), {}, {}, mark.line, mark.column});
}

void add_named(const yaml::Document& doc, ReferenceKind kind, std::string_view target_kind, NodeId name,
               std::vector<ObjectReference>& out) {
  std::string_view text = scalar_text(doc, name);
  if (text.empty()) return;
  // One reference per target: an Ingress names its Service in many paths.
  bool known = std::any_of(out.begin(), out.end(), [&](const ObjectReference& r) {
    return r.kind == kind && r.target_kind == target_kind && r.target_name == text;
  });
  if (known) return;
  const yaml::Mark& mark = doc.node(name).mark;
  out.push_back({kind, std::nullopt, std::string(target_kind), std::string(text), mark.line, mark.column});
}

// networking.k8s.io/v1 (service.name) and the older serviceName.
void add_backend(const yaml::Document& doc, NodeId backend, std::vector<ObjectReference>& out) {
  NodeId name = doc.find(doc.find(backend, "service"), "name");
  if (name == k_no_node) name = doc.find(backend, "serviceName");
  add_named(doc, ReferenceKind::ingress_backend, "Service", name, out);
}

void add_ingress(const yaml::Document& doc, NodeId spec, std::vector<ObjectReference>& out) {
  add_backend(doc, doc.find(spec, "defaultBackend"), out);
  add_backend(doc, doc.find(spec, "backend"), out);
  NodeId rules = doc.find(spec, "rules");
  if (rules == k_no_node || doc.node(rules).kind != NodeKind::sequence) return;
  for (NodeId rule : doc.node(rules).children) {
    NodeId paths = doc.find(doc.find(rule, "http"), "paths");
    if (paths == k_no_node || doc.node(paths).kind != NodeKind::sequence) continue;
    for (NodeId path : doc.node(paths).children) add_backend(doc, doc.find(path, "backend"), out);
  }
}

}  // namespace

void add_references(const yaml::Document& doc, NodeId object, std::vector<ObjectReference>& out) {
  std::string_view kind = scalar_text(doc, doc.find(object, "kind"));
  std::string_view group = api_group(scalar_text(doc, doc.find(object, "apiVersion")));
  NodeId spec = doc.find(object, "spec");
  if (kind == "Service" && group.empty()) {
    if (scalar_text(doc, doc.find(spec, "type")) == "ExternalName") return;
    NodeId selector = doc.find(spec, "selector");
    add_selector(doc, ReferenceKind::service_selector, selector, read_map_selector(doc, selector), out);
  } else if (kind == "PodDisruptionBudget" && group == "policy") {
    NodeId selector = doc.find(spec, "selector");
    add_selector(doc, ReferenceKind::pdb_selector, selector, read_label_selector(doc, selector), out);
  } else if (kind == "HorizontalPodAutoscaler" && group == "autoscaling") {
    NodeId target = doc.find(spec, "scaleTargetRef");
    std::string_view target_kind = scalar_text(doc, doc.find(target, "kind"));
    if (!target_kind.empty()) add_named(doc, ReferenceKind::hpa_target, target_kind, doc.find(target, "name"), out);
  } else if (kind == "Ingress" && (group == "networking.k8s.io" || group == "extensions")) {
    add_ingress(doc, spec, out);
  }
}

}  // namespace pushgate
