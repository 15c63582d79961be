#include "validators/k8s/pod_template.hpp"

#include <array>
#include <string_view>

#include "validators/k8s/k8s_object.hpp"

namespace pushgate {

namespace {

enum class Shape { pod, template_, job_template };

struct WorkloadKind {
  std::string_view group;
  std::string_view kind;
  Shape shape;
};

// Custom resources with the same kind in other groups (Argo's Rollout has a
// spec.template too, but other CRDs may not) are not guessed at.
constexpr std::array<WorkloadKind, 11> k_workloads = {{
    {"", "Pod", Shape::pod},
    {"", "ReplicationController", Shape::template_},
    {"apps", "Deployment", Shape::template_},
    {"apps", "StatefulSet", Shape::template_},
    {"apps", "DaemonSet", Shape::template_},
    {"apps", "ReplicaSet", Shape::template_},
    {"extensions", "Deployment", Shape::template_},
    {"extensions", "DaemonSet", Shape::template_},
    {"extensions", "ReplicaSet", Shape::template_},
    {"batch", "Job", Shape::template_},
    {"batch", "CronJob", Shape::job_template},
}};

}  // namespace

std::optional<PodTemplate> pod_template(const yaml::Document& doc, yaml::NodeId object) {
  std::string_view kind = scalar_text(doc, doc.find(object, "kind"));
  std::string_view group = api_group(scalar_text(doc, doc.find(object, "apiVersion")));
  for (const WorkloadKind& w : k_workloads) {
    if (w.kind != kind || w.group != group) continue;
    PodTemplate out;
    out.runs_to_completion = group == "batch";
    yaml::NodeId spec = doc.find(object, "spec");
    yaml::NodeId holder = object;  // the mapping with the pods' metadata and spec
    if (w.shape == Shape::template_) holder = doc.find(spec, "template");
    if (w.shape == Shape::job_template) holder = doc.find(doc.find(doc.find(spec, "jobTemplate"), "spec"), "template");
    out.metadata = doc.find(holder, "metadata");
    out.spec = doc.find(holder, "spec");
    return out;
  }
  return std::nullopt;
}

}  // namespace pushgate
