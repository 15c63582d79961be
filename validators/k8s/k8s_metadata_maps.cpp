// metadata.labels and metadata.annotations: string to string maps with
// Kubernetes' key syntax.

#include <fmt/format.h>

#include "validators/k8s/k8s_names.hpp"
#include "validators/k8s/k8s_object_checker.hpp"

namespace pushgate {

namespace {

using yaml::NodeId;
using yaml::NodeKind;

// The API server's limit on all annotations of one object, keys included.
constexpr std::size_t k_annotations_limit = 256 * 1024;

// Calls `each(key, value)` for the entries of `map`; reports `rule` and
// calls nothing when `map` is not a mapping. An empty value (null) is an
// empty map.
template <class Each>
void for_each_entry(ObjectChecker& checker, RuleId rule, NodeId map,
                    std::string_view what, Each each) {
  const yaml::Node& n = checker.node(map);
  if (n.kind == NodeKind::null) return;
  if (n.kind != NodeKind::mapping) {
    checker.report(rule, Severity::error, map,
                   fmt::format("{} must be a mapping of key: value", what));
    return;
  }
  for (std::size_t i = 0; i + 1 < n.children.size(); i += 2) each(n.children[i], n.children[i + 1]);
}

// Keys become strings whatever their YAML type, so only their text matters.
std::optional<std::string_view> check_key(ObjectChecker& checker, RuleId rule,
                                          NodeId key, std::string_view what) {
  const yaml::Node& k = checker.node(key);
  if (k.kind != NodeKind::scalar) {
    checker.report(rule, Severity::error, key, fmt::format("{} must be a plain string", what));
    return std::nullopt;
  }
  if (auto problem = check_qualified_name(k.value)) {
    checker.report(rule, Severity::error, key, fmt::format("{} {} {}", what, quoted(k.value), *problem));
    return std::nullopt;
  }
  return k.value;
}

}  // namespace

void check_labels(ObjectChecker& checker, NodeId labels) {
  for_each_entry(checker, "k8s.labels", labels, "metadata.labels", [&](NodeId key, NodeId value) {
    auto name = check_key(checker, "k8s.labels", key, "label key");
    if (checker.node(value).kind == NodeKind::null) return;
    auto text = checker.string("k8s.labels", value, [&] {
      return name ? fmt::format("label {}", quoted(*name)) : std::string("label value");
    });
    if (!text) return;
    if (auto problem = check_label_value(*text))
      checker.report("k8s.labels", Severity::error, value,
                     fmt::format("label value {} {}", quoted(*text), *problem));
  });
}

void check_annotations(ObjectChecker& checker, NodeId annotations) {
  std::size_t total = 0;
  for_each_entry(checker, "k8s.annotations", annotations, "metadata.annotations",
                 [&](NodeId key, NodeId value) {
                   auto name = check_key(checker, "k8s.annotations", key, "annotation key");
                   total += checker.node(key).value.size();
                   if (checker.node(value).kind == NodeKind::null) return;
                   auto text = checker.string("k8s.annotations", value, [&] {
                     return name ? fmt::format("annotation {}", quoted(*name)) : std::string("annotation value");
                   });
                   if (text) total += text->size();
                 });
  if (total > k_annotations_limit) {
    checker.report("k8s.annotations", Severity::error, annotations,
                   fmt::format("metadata.annotations hold {} bytes, over Kubernetes' limit of {} "
                               "bytes (256 KiB) for keys and values together",
                               total, k_annotations_limit));
  }
}

}  // namespace pushgate
