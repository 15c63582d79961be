#pragma once
// [k8s.*] rules: the structure every Kubernetes object needs, checked without
// a schema: apiVersion, kind, metadata, name, namespace, labels and
// annotations. A document is taken as an object when its root is a mapping
// with apiVersion, kind or metadata; other YAML is not checked here. Items
// of a List are checked one by one, each as an object of its own.
//
// Two kinds of files look like objects but are tool configuration, and are
// held to less: kustomize's (apiVersion kustomize.config.k8s.io/...) need no
// metadata, and Helm's Chart.yaml is not an object at all.
//
// Rules: k8s.apiVersion, k8s.kind, k8s.metadata, k8s.name, k8s.namespace,
// k8s.labels, k8s.annotations, and k8s.list for a List whose items are not a
// list of objects.

#include <vector>

#include "core/util/finding.hpp"
#include "validators/validator.hpp"

namespace pushgate {

class K8sRules final : public FileValidator {
 public:
  void check(const ManifestFile& file, std::vector<Finding>& out) const override;
};

}  // namespace pushgate
