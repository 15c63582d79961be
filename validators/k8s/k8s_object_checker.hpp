#pragma once
// What the Kubernetes structure checks of one object share: the document,
// where findings go, and the prefix that places an item of a List
// ("items[2]: "). Internal to the k8s rules.

#include <concepts>
#include <optional>
#include <string>
#include <string_view>

#include "core/yaml/yaml_tree.hpp"
#include "validators/file_findings.hpp"

namespace pushgate {

class ObjectChecker {
 public:
  // `doc` and `findings` must outlive the checker.
  ObjectChecker(const yaml::Document& doc, FileFindings& findings, std::string prefix)
      : m_doc(doc), m_findings(findings), m_prefix(std::move(prefix)) {}

  const yaml::Document& doc() const { return m_doc; }
  const yaml::Node& node(yaml::NodeId id) const { return m_doc.node(id); }
  FileFindings& findings() const { return m_findings; }

  // Reports `message` at node `at`, after the object's prefix, and returns
  // the finding so the caller can add related places. The message is taken
  // as it is, not copied: policy rules report one for most pods.
  Finding& report(RuleId rule, Severity severity, yaml::NodeId at, std::string message);

  // The text of `at` when it holds a string. Otherwise reports an error for
  // `rule` that names `what` (a collection, an empty value, or an unquoted
  // number or boolean, which Kubernetes does not read as a string) and
  // returns nullopt.
  std::optional<std::string_view> string(RuleId rule, yaml::NodeId at,
                                         std::string_view what) {
    return string(rule, at, [what] { return std::string(what); });
  }
  // The same, with `describe()` giving `what`: it is called only to report,
  // so a clean object pays nothing for the message.
  template <std::invocable Describe>
  std::optional<std::string_view> string(RuleId rule, yaml::NodeId at, const Describe& describe) {
    if (auto text = string_text(at)) return text;
    report_not_string(rule, at, describe());
    return std::nullopt;
  }

 private:
  // The text of `at` when it holds a string, else nullopt.
  std::optional<std::string_view> string_text(yaml::NodeId at) const;
  void report_not_string(RuleId rule, yaml::NodeId at, std::string_view what);

  const yaml::Document& m_doc;
  FileFindings& m_findings;
  std::string m_prefix;
};

// `text` in single quotes for a message; shortened in the middle past 80
// characters so a hostile value cannot flood the output.
std::string quoted(std::string_view text);

// [k8s.labels]: keys, values and their types in metadata.labels node `labels`.
void check_labels(ObjectChecker& checker, yaml::NodeId labels);

// [k8s.annotations]: keys, value types and the total size of
// metadata.annotations node `annotations`.
void check_annotations(ObjectChecker& checker, yaml::NodeId annotations);

}  // namespace pushgate
