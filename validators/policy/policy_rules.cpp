#include "validators/policy/policy_rules.hpp"

#include <fmt/format.h>

#include "validators/k8s/k8s_object.hpp"
#include "validators/k8s/k8s_object_checker.hpp"
#include "validators/k8s/pod_template.hpp"
#include "validators/policy/pod_rules.hpp"

namespace pushgate {

namespace {

void check_object(const yaml::Document& doc, yaml::NodeId object, FileFindings& findings, std::string prefix) {
  auto pod = pod_template(doc, object);
  if (!pod) return;
  ObjectChecker checker(doc, findings, std::move(prefix));
  check_pod(checker, *pod);
}

}  // namespace

void PolicyRules::check(const ManifestFile& file, std::vector<Finding>& out) const {
  if (!file.yaml) return;
  FileFindings findings(file.path(), out);
  for (const yaml::Document& doc : file.yaml->documents) {
    yaml::NodeId root = doc.root();
    if (!looks_like_object(doc, root)) continue;
    if (!is_list(doc, root)) {
      check_object(doc, root, findings, "");
      continue;
    }
    yaml::NodeId items = doc.find(root, "items");
    if (items == yaml::k_no_node || doc.node(items).kind != yaml::NodeKind::sequence) continue;
    const auto& children = doc.node(items).children;
    for (std::size_t i = 0; i < children.size(); ++i)
      if (looks_like_object(doc, children[i])) check_object(doc, children[i], findings, fmt::format("items[{}]: ", i));
  }
}

}  // namespace pushgate
