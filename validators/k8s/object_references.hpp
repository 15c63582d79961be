#pragma once
// What an object points at in the tree, for the cross-file checks: a
// Service's and a PodDisruptionBudget's selector (pods), a
// HorizontalPodAutoscaler's scaleTargetRef and an Ingress's backends (objects
// by name). Read from the files of one run; the tree index does not save them.

#include <optional>
#include <string>
#include <vector>

#include "core/yaml/yaml_tree.hpp"
#include "validators/k8s/label_selector.hpp"

namespace pushgate {

enum class ReferenceKind { service_selector, pdb_selector, hpa_target, ingress_backend };

struct ObjectReference {
  ReferenceKind kind;
  std::optional<LabelSelector> selector;  // for the selectors: what the pods must carry
  std::string target_kind;                // for the others: the object named
  std::string target_name;
  int line = 0;    // the field that points
  int column = 0;
};

// The references of `object`, appended to `out`.
void add_references(const yaml::Document& doc, yaml::NodeId object, std::vector<ObjectReference>& out);

}  // namespace pushgate
