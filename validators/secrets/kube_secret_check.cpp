#include "validators/secrets/kube_secret_check.hpp"

#include "core/yaml/yaml_tree.hpp"
#include "validators/secrets/value_checks.hpp"

namespace pushgate::secrets {

namespace {

using yaml::NodeId;
using yaml::NodeKind;

bool is_scalar(const yaml::Document& doc, NodeId id, std::string_view value) {
  return id != yaml::k_no_node && doc.node(id).kind == NodeKind::scalar && doc.node(id).value == value;
}

// SOPS writes a `sops:` mapping with the MAC of the file beside the data.
bool sops_encrypted(const yaml::Document& doc) {
  NodeId sops = doc.find(doc.root(), "sops");
  return sops != yaml::k_no_node && doc.node(sops).kind == NodeKind::mapping && doc.find(sops, "mac") != yaml::k_no_node;
}

void collect(const yaml::Document& doc, NodeId map, const std::string& object, const std::function<bool(int)>& is_added,
             std::vector<PlaintextSecret>& out) {
  if (map == yaml::k_no_node || doc.node(map).kind != NodeKind::mapping) return;
  auto children = doc.node(map).children;
  for (std::size_t i = 0; i + 1 < children.size(); i += 2) {
    const yaml::Node& key = doc.node(children[i]);
    const yaml::Node& value = doc.node(children[i + 1]);
    if (value.kind != NodeKind::scalar || value.value.empty()) continue;
    if (value.value.starts_with("ENC[") || is_placeholder(value.value)) continue;
    if (!is_added(value.mark.line) && !is_added(key.mark.line)) continue;
    out.push_back({key.mark.line, key.mark.column, object, std::string(key.value), std::string(value.value)});
  }
}

}  // namespace

bool is_manifest_path(std::string_view path) {
  return path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".json");
}

KubeSecrets kube_secrets(std::string_view text, const std::function<bool(int)>& is_added) {
  KubeSecrets out;
  // Most files hold no Secret: they are not parsed at all.
  if (text.find("Secret") == std::string_view::npos) return out;
  yaml::LoadResult loaded = yaml::load(text, yaml::Limits{});
  for (const yaml::Document& doc : loaded.documents) {
    NodeId root = doc.root();
    if (root == yaml::k_no_node || doc.node(root).kind != NodeKind::mapping) continue;
    NodeId kind = doc.find(root, "kind");
    if (is_scalar(doc, kind, "SealedSecret")) {
      NodeId sealed = doc.path({"spec", "encryptedData"});
      if (sealed == yaml::k_no_node || doc.node(sealed).kind != NodeKind::mapping) continue;
      for (NodeId child : doc.node(sealed).children) out.sealed_lines.push_back(doc.node(child).mark.line);
      continue;
    }
    if (!is_scalar(doc, kind, "Secret") || sops_encrypted(doc)) continue;
    NodeId name = doc.path({"metadata", "name"});
    std::string object = name != yaml::k_no_node ? std::string(doc.node(name).value) : "";
    collect(doc, doc.find(root, "data"), object, is_added, out.plaintext);
    collect(doc, doc.find(root, "stringData"), object, is_added, out.plaintext);
  }
  return out;
}

}  // namespace pushgate::secrets
