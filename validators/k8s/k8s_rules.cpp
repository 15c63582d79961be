#include "validators/k8s/k8s_rules.hpp"

#include <fmt/format.h>

#include "validators/k8s/k8s_kinds.hpp"
#include "validators/k8s/k8s_names.hpp"
#include "validators/k8s/k8s_object.hpp"
#include "validators/k8s/k8s_object_checker.hpp"

namespace pushgate {

namespace {

using yaml::k_no_node;
using yaml::NodeId;
using yaml::NodeKind;

bool is_helm_chart_file(std::string_view path) {
  std::size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return base == "Chart.yaml" || base == "Chart.yml";
}

NameProblem check_name(NameSyntax syntax, std::string_view name) {
  switch (syntax) {
    case NameSyntax::dns1123_label: return check_dns1123_label(name);
    case NameSyntax::dns1035_label: return check_dns1035_label(name);
    case NameSyntax::path_segment: return check_path_segment(name);
    case NameSyntax::dns1123_subdomain: break;
  }
  return check_dns1123_subdomain(name);
}

class ObjectRules {
 public:
  ObjectRules(const yaml::Document& doc, FileFindings& findings, std::string prefix)
      : m_checker(doc, findings, std::move(prefix)) {}

  void check(NodeId object) {
    const yaml::Document& doc = m_checker.doc();
    auto api_version = check_api_version_field(object);
    std::string_view kind = check_kind_field(object);
    if (is_list(doc, object)) {
      check_items(object);
      return;
    }
    NodeId metadata = doc.find(object, "metadata");
    if (metadata == k_no_node) {
      bool kustomize = api_version && api_group(*api_version) == "kustomize.config.k8s.io";
      if (!kustomize)
        m_checker.report("k8s.metadata", Severity::error, object,
                         "metadata is missing: every object needs metadata with at least a name");
      return;
    }
    if (m_checker.node(metadata).kind != NodeKind::mapping) {
      m_checker.report("k8s.metadata", Severity::error, metadata,
                       "metadata must be a mapping (with name, namespace, labels, ...)");
      return;
    }
    check_names(metadata, kind);
    if (NodeId labels = doc.find(metadata, "labels"); labels != k_no_node)
      check_labels(m_checker, labels);
    if (NodeId annotations = doc.find(metadata, "annotations"); annotations != k_no_node)
      check_annotations(m_checker, annotations);
  }

 private:
  std::optional<std::string_view> check_api_version_field(NodeId object) {
    NodeId node = m_checker.doc().find(object, "apiVersion");
    if (node == k_no_node) {
      m_checker.report("k8s.apiVersion", Severity::error, object,
                       "apiVersion is missing (e.g. apiVersion: v1 or apiVersion: apps/v1)");
      return std::nullopt;
    }
    auto text = m_checker.string("k8s.apiVersion", node, "apiVersion");
    if (!text) return std::nullopt;
    if (auto problem = check_api_version(*text)) {
      m_checker.report("k8s.apiVersion", Severity::error, node,
                       fmt::format("apiVersion {} {}", quoted(*text), *problem));
    }
    return text;
  }

  // The kind when it is well formed, else "".
  std::string_view check_kind_field(NodeId object) {
    NodeId node = m_checker.doc().find(object, "kind");
    if (node == k_no_node) {
      m_checker.report("k8s.kind", Severity::error, object,
                       "kind is missing (e.g. kind: Deployment)");
      return {};
    }
    auto text = m_checker.string("k8s.kind", node, "kind");
    if (!text) return {};
    if (auto problem = check_kind(*text)) {
      m_checker.report("k8s.kind", Severity::error, node,
                       fmt::format("kind {} {}", quoted(*text), *problem));
      return {};
    }
    return *text;
  }

  void check_items(NodeId list) {
    const yaml::Document& doc = m_checker.doc();
    NodeId items = doc.find(list, "items");
    if (items == k_no_node) {
      m_checker.report("k8s.list", Severity::error, list,
                       "a List needs items: a list of objects (items: [] when empty)");
      return;
    }
    const yaml::Node& n = m_checker.node(items);
    if (n.kind == NodeKind::null) return;
    if (n.kind != NodeKind::sequence) {
      m_checker.report("k8s.list", Severity::error, items, "items must be a list of objects");
      return;
    }
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      NodeId item = n.children[i];
      std::string prefix = fmt::format("items[{}]: ", i);
      if (m_checker.node(item).kind != NodeKind::mapping) {
        m_checker.report("k8s.list", Severity::error, item,
                         fmt::format("{}must be an object (a mapping with apiVersion, kind and metadata)",
                                     prefix));
        continue;
      }
      ObjectRules(doc, m_checker.findings(), prefix).check(item);
    }
  }

  void check_names(NodeId metadata, std::string_view kind) {
    const yaml::Document& doc = m_checker.doc();
    NodeId name = doc.find(metadata, "name");
    NodeId generate_name = doc.find(metadata, "generateName");
    NameSyntax syntax = name_syntax(kind);
    if (name == k_no_node && generate_name == k_no_node) {
      m_checker.report("k8s.name", Severity::error, metadata,
                       "metadata.name is missing (or metadata.generateName for a generated name)");
    }
    if (name != k_no_node) {
      if (auto text = m_checker.string("k8s.name", name, "metadata.name")) {
        if (auto problem = check_name(syntax, *text))
          m_checker.report("k8s.name", Severity::error, name,
                           fmt::format("metadata.name {} {}", quoted(*text), *problem));
      }
    }
    if (generate_name != k_no_node) {
      if (auto text = m_checker.string("k8s.name", generate_name, "metadata.generateName")) {
        // The server appends random characters, so a trailing '-' is fine.
        std::string masked(*text);
        if (!masked.empty() && masked.back() == '-') masked.back() = 'a';
        if (auto problem = check_name(syntax, masked))
          m_checker.report("k8s.name", Severity::error, generate_name,
                           fmt::format("metadata.generateName {} {}", quoted(*text), *problem));
      }
    }
    check_namespace(doc.find(metadata, "namespace"), kind);
  }

  void check_namespace(NodeId node, std::string_view kind) {
    // An empty namespace means none, as kubectl and the API server read it.
    if (node == k_no_node || m_checker.node(node).kind == NodeKind::null) return;
    auto text = m_checker.string("k8s.namespace", node, "metadata.namespace");
    if (!text || text->empty()) return;
    if (auto problem = check_dns1123_label(*text)) {
      m_checker.report("k8s.namespace", Severity::error, node,
                       fmt::format("metadata.namespace {} {}", quoted(*text), *problem));
    } else if (is_cluster_scoped(kind)) {
      m_checker.report("k8s.namespace", Severity::warning, node,
                       fmt::format("{} is cluster-scoped, so metadata.namespace is ignored: remove it",
                                   kind));
    }
  }

  ObjectChecker m_checker;
};

}  // namespace

void K8sRules::check(const ManifestFile& file, std::vector<Finding>& out) const {
  if (!file.yaml || is_helm_chart_file(file.path())) return;
  FileFindings findings(file.path(), out);
  for (const yaml::Document& doc : file.yaml->documents) {
    if (looks_like_object(doc, doc.root())) ObjectRules(doc, findings, "").check(doc.root());
  }
}

}  // namespace pushgate
