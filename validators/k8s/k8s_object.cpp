#include "validators/k8s/k8s_object.hpp"

namespace pushgate {

using yaml::k_no_node;
using yaml::NodeKind;

bool looks_like_object(const yaml::Document& doc, yaml::NodeId node) {
  if (node == k_no_node || doc.node(node).kind != NodeKind::mapping) return false;
  return doc.find(node, "apiVersion") != k_no_node || doc.find(node, "kind") != k_no_node ||
         doc.find(node, "metadata") != k_no_node;
}

bool is_list(const yaml::Document& doc, yaml::NodeId object) {
  std::string_view kind = scalar_text(doc, doc.find(object, "kind"));
  return kind == "List" || (kind.ends_with("List") && doc.find(object, "items") != k_no_node);
}

std::vector<yaml::NodeId> object_nodes(const yaml::Document& doc) {
  yaml::NodeId root = doc.root();
  if (!looks_like_object(doc, root)) return {};
  if (!is_list(doc, root)) return {root};
  std::vector<yaml::NodeId> out;
  yaml::NodeId items = doc.find(root, "items");
  if (items == k_no_node || doc.node(items).kind != NodeKind::sequence) return out;
  for (yaml::NodeId item : doc.node(items).children)
    if (looks_like_object(doc, item)) out.push_back(item);
  return out;
}

bool is_crd(const yaml::Document& doc, yaml::NodeId object) {
  return scalar_text(doc, doc.find(object, "kind")) == "CustomResourceDefinition" &&
         api_group(scalar_text(doc, doc.find(object, "apiVersion"))) == "apiextensions.k8s.io";
}

std::string_view scalar_text(const yaml::Document& doc, yaml::NodeId node) {
  if (node == k_no_node || doc.node(node).kind != NodeKind::scalar) return {};
  return doc.node(node).value;
}

std::string_view api_group(std::string_view api_version) {
  std::size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string_view{} : api_version.substr(0, slash);
}

}  // namespace pushgate
