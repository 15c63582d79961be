// What each rule finds and its default severity: the rule list of the SARIF
// output. Policy rules describe themselves (policy/policy_catalog.cpp).

#include <algorithm>
#include <array>

#include "validators/policy/policy_catalog.hpp"
#include "validators/rule_catalog.hpp"

namespace pushgate {

namespace {

constexpr std::array<RuleInfo, 27> k_rules = {{
    {"file.read", Severity::error, "a manifest that could not be read"},
    {"file.symlink", Severity::error, "a symbolic link that leads out of the tree, dangles or loops"},
    {"k8s.annotations", Severity::error, "annotation keys with invalid syntax, values that are not strings, more than 256 KiB"},
    {"k8s.apiVersion", Severity::error, "apiVersion missing, not a string, or malformed"},
    {"k8s.duplicate", Severity::error, "the same object (API group, kind, namespace, name) defined twice in the tree"},
    {"k8s.kind", Severity::error, "kind missing, not a string, or malformed"},
    {"k8s.labels", Severity::error, "label keys or values with invalid syntax, or values that are not strings"},
    {"k8s.list", Severity::error, "a List whose items are missing or not a list of objects"},
    {"k8s.metadata", Severity::error, "metadata missing or not a mapping"},
    {"k8s.name", Severity::error, "metadata.name missing, not a string, or not a name the kind accepts"},
    {"k8s.namespace", Severity::error, "metadata.namespace not a valid namespace name (a warning on a cluster-scoped kind)"},
    {"k8s.schema", Severity::error, "a field that does not fit its kind's schema (validate.schemas, CRDs in the tree)"},
    {"k8s.unknown-kind", Severity::warning, "an object whose apiVersion and kind no schema knows"},
    {"yaml.aliases", Severity::error, "alias expansion over limits.aliases (\"billion laughs\")"},
    {"yaml.binary", Severity::error, "binary content (a NUL byte) in a manifest"},
    {"yaml.bom", Severity::warning, "a UTF-8 byte order mark at the start"},
    {"yaml.crlf", Severity::warning, "CRLF (Windows) line endings"},
    {"yaml.depth", Severity::error, "nesting deeper than limits.depth"},
    {"yaml.documents", Severity::error, "more documents than limits.documents"},
    {"yaml.duplicate-key", Severity::error, "the same key twice in one mapping"},
    {"yaml.empty-document", Severity::warning, "an empty document"},
    {"yaml.lfs-pointer", Severity::warning, "a git LFS pointer under a manifest name"},
    {"yaml.recursive-alias", Severity::error, "an alias that refers to a node containing it"},
    {"yaml.size", Severity::error, "a file over limits.file_size"},
    {"yaml.syntax", Severity::error, "a YAML or JSON syntax error"},
    {"yaml.tabs", Severity::warning, "a tab at the start of a line, before content"},
    {"yaml.utf8", Severity::error, "invalid UTF-8, or a UTF-16 file"},
}};

}  // namespace

RuleInfo rule_info(std::string_view id) {
  if (const PolicyRule* rule = find_policy_rule(id)) return {rule->id, rule->severity, rule->finds};
  auto it = std::find_if(k_rules.begin(), k_rules.end(), [&](const RuleInfo& r) { return r.id == id; });
  if (it != k_rules.end()) return *it;
  return {id, Severity::error, id};
}

}  // namespace pushgate
