#include "validators/schema/schema_pass.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/util/terminal_text.hpp"
#include "validators/k8s/k8s_object.hpp"

namespace pushgate::schema {

namespace {

std::string_view field(const yaml::Document& doc, yaml::NodeId object, std::string_view key) {
  return scalar_text(doc, doc.find(object, key));
}

// Calls visit(doc, object, ordinal) for every object of `file`, numbered as
// PendingObject::ordinal counts them, so both steps agree on which is which.
template <class Visit>
void each_object(const ManifestFile& file, Visit visit) {
  std::size_t ordinal = 0;
  for (const yaml::Document& doc : file.yaml->documents)
    for (yaml::NodeId object : object_nodes(doc)) visit(doc, object, ordinal++);
}

}  // namespace

void SchemaPass::first(const ManifestFile& file, bool check, std::vector<Finding>& out,
                       std::vector<PendingObject>& pending) {
  std::vector<Finding> dropped;
  each_object(file, [&](const yaml::Document& doc, yaml::NodeId object, std::size_t ordinal) {
    if (is_crd(doc, object)) {
      std::lock_guard lock(m_mutex);
      if (m_crd_set.add_crd(doc, object, file.path(), check ? out : dropped)) ++m_crds;
      if (check) ++m_checked_crds;
    }
    if (!check) return;
    Lookup found = m_base ? check_object(*m_base, nullptr, doc, object, file.path(), out) : Lookup::unknown_kind;
    if (found == Lookup::checked) return;
    const yaml::Node& node = doc.node(object);
    pending.push_back({ordinal, std::string(field(doc, object, "apiVersion")), std::string(field(doc, object, "kind")),
                       found, node.mark.line, node.mark.column});
  });
}

bool SchemaPass::needs_second(const std::vector<PendingObject>& pending) const {
  if (m_crds == 0) return false;
  for (const PendingObject& p : pending)
    if (m_crd_set.knows_api_version(p.api_version)) return true;
  return false;
}

void SchemaPass::second(const ManifestFile& file, const std::vector<PendingObject>& pending,
                        std::vector<Finding>& out) const {
  std::vector<PendingObject> still;
  auto next = pending.begin();
  each_object(file, [&](const yaml::Document& doc, yaml::NodeId object, std::size_t ordinal) {
    if (next == pending.end() || next->ordinal != ordinal) return;
    // The configured schemas define none of these, so the CRDs decide.
    if (check_object(m_crd_set, nullptr, doc, object, file.path(), out) != Lookup::checked) still.push_back(*next);
    ++next;
  });
  unknown(file.path(), still, out);
}

void SchemaPass::unknown(const std::string& path, const std::vector<PendingObject>& pending,
                         std::vector<Finding>& out) const {
  if (!m_base) return;  // without configured schemas every built-in kind would be unknown
  for (const PendingObject& p : pending) {
    if (p.kind.empty() || p.api_version.empty()) continue;  // k8s.kind and k8s.apiVersion say so
    std::string what = p.lookup == Lookup::unknown_api_version
                           ? fmt::format("no schema knows apiVersion {}", escape_control(p.api_version))
                           : fmt::format("no schema knows kind {} in {}", escape_control(p.kind),
                                         escape_control(p.api_version));
    // A retired apiVersion of a built-in kind: say where the kind lives now.
    std::vector<std::string_view> served = m_base->api_versions_of(p.kind);
    std::string fix = served.empty()
                          ? "add its CRD to the push or to validate.schemas, or fix apiVersion and kind"
                          : fmt::format("{} is served at {}", escape_control(p.kind), fmt::join(served, ", "));
    out.push_back({{path, p.line, p.column},
                   Severity::warning,
                   "k8s.unknown-kind",
                   fmt::format("{}, so this object was not checked against a schema; {}", what, fix),
                   {}});
  }
}

}  // namespace pushgate::schema
