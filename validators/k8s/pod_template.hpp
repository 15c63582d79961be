#pragma once
// Where a workload keeps the pods it runs: a Pod is its own template; the
// controllers (Deployment, StatefulSet, DaemonSet, ReplicaSet,
// ReplicationController, Job) hold one at spec.template, a CronJob at
// spec.jobTemplate.spec.template. Shared by the policy rules, which check the
// pod spec, and the cross-file index, which records the pods' labels.

#include <optional>

#include "core/yaml/yaml_tree.hpp"

namespace pushgate {

struct PodTemplate {
  yaml::NodeId metadata = yaml::k_no_node;  // the pods' metadata (labels); k_no_node when absent
  yaml::NodeId spec = yaml::k_no_node;      // the pod spec; k_no_node when absent
  bool runs_to_completion = false;          // a Job's or CronJob's pods, which end by design
};

// The pod template of `object`, or nullopt when its kind (in its API group)
// runs no pods.
std::optional<PodTemplate> pod_template(const yaml::Document& doc, yaml::NodeId object);

}  // namespace pushgate
