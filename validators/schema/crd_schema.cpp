#include "validators/schema/crd_schema.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/util/error.hpp"
#include "validators/k8s/k8s_object.hpp"
#include "validators/schema/json_value.hpp"
#include "validators/schema/pattern.hpp"
#include "validators/schema/schema_compiler.hpp"

namespace pushgate::schema {

using nlohmann::json;
using yaml::k_no_node;
using yaml::NodeId;
using yaml::NodeKind;

namespace {

// Keys a schema inside allOf/anyOf/oneOf/not may not set: those branches
// only validate values, the structure is the one outside them.
constexpr std::string_view k_branch_forbidden[] = {
    "type", "additionalProperties", "nullable", "default", "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string"};

class CrdReader {
 public:
  CrdReader(const yaml::Document& doc, const std::string& path, std::vector<Finding>& problems)
      : m_doc(doc), m_path(path), m_problems(problems) {}

  bool read(Model& model, NodeId object) {
    std::size_t before = m_problems.size();
    NodeId spec = m_doc.find(object, "spec");
    std::string group = required_text(spec, "group", object, "spec.group");
    NodeId names = m_doc.find(spec, "names");
    std::string kind = required_text(names, "kind", spec, "spec.names.kind");
    std::string plural = required_text(names, "plural", spec, "spec.names.plural");
    NodeId name = m_doc.find(m_doc.find(object, "metadata"), "name");
    if (!group.empty() && !plural.empty() && scalar_text(m_doc, name) != plural + "." + group)
      problem(name == k_no_node ? object : name, "metadata.name",
              fmt::format("must be spec.names.plural + \".\" + spec.group: \"{}.{}\"", plural, group));
    NodeId versions = m_doc.find(spec, "versions");
    bool listed = versions != k_no_node && m_doc.node(versions).kind == NodeKind::sequence;
    if (!listed || m_doc.node(versions).children.empty())
      problem(spec == k_no_node ? object : spec, "spec.versions", "a CRD needs at least one version");
    std::vector<std::pair<std::string, json>> served;
    const auto& items = listed ? m_doc.node(versions).children : std::vector<NodeId>{};
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::string field = fmt::format("spec.versions[{}]", i);
      std::string version = required_text(items[i], "name", items[i], field + ".name");
      NodeId schema = m_doc.find(m_doc.find(items[i], "schema"), "openAPIV3Schema");
      field += ".schema.openAPIV3Schema";
      if (schema == k_no_node || m_doc.node(schema).kind != NodeKind::mapping) {
        problem(items[i], field, "a schema is required (apiextensions.k8s.io/v1)");
        continue;
      }
      structural(schema, field, 0, false);
      if (text(m_doc.find(schema, "type")) != "object") problem(schema, field, "the root type must be object");
      root_metadata(schema, field);
      if (scalar_text(m_doc, m_doc.find(items[i], "served")) == "false") continue;
      try {
        served.emplace_back(version, to_json(schema));
      } catch (const Failure& e) {
        problem(schema, field, e.what());
      }
    }
    if (m_problems.size() != before) return false;
    std::vector<std::pair<std::string, std::uint32_t>> roots;
    for (auto& [version, schema] : served) {
      SchemaCompiler compiler(model, json::object(), "", m_path, Dialect::crd,
                              CompileLimits{.depth = k_max_crd_depth});
      try {
        roots.emplace_back(group + "/" + version, compiler.object_root(schema));
      } catch (const Failure& e) {
        problem(object, "", e.what());
        return false;
      } catch (const json::exception& e) {
        problem(object, "", std::string("unusable schema: ") + e.what());
        return false;
      }
    }
    for (const auto& [api_version, root] : roots) model.add_kind(api_version, kind, root);
    return true;
  }

 private:
  void problem(NodeId at, const std::string& field, const std::string& message) {
    yaml::Mark mark = m_doc.node(at).mark;
    m_problems.push_back(Finding{{m_path, mark.line, mark.column}, Severity::error, "k8s.schema",
                                 field.empty() ? message : field + ": " + message, {}});
  }

  std::string_view text(NodeId node) const { return scalar_text(m_doc, node); }

  std::string required_text(NodeId map, std::string_view key, NodeId at, const std::string& field) {
    std::string value(text(m_doc.find(map, key)));
    if (value.empty()) problem(map == k_no_node ? at : map, field, "missing; a CRD needs it");
    return value;
  }

  bool flag(NodeId schema, std::string_view key) const { return text(m_doc.find(schema, key)) == "true"; }

  // The rules of a structural schema that are cheap to check here: every
  // node says its type (unless int-or-string or preserve-unknown-fields),
  // no $ref, properties and additionalProperties not both, branches of
  // allOf/anyOf/oneOf/not validate values only.
  void structural(NodeId schema, const std::string& field, std::size_t depth, bool in_branch) {
    if (m_doc.node(schema).kind != NodeKind::mapping) return problem(schema, field, "a schema must be a mapping");
    if (depth > k_max_crd_depth)
      return problem(schema, field, fmt::format("schemas nested deeper than {} levels", k_max_crd_depth));
    if (m_doc.find(schema, "$ref") != k_no_node) problem(schema, field, "$ref is not allowed in a CRD schema");
    bool int_or_string = flag(schema, "x-kubernetes-int-or-string");
    bool typed = !text(m_doc.find(schema, "type")).empty();
    if (in_branch) {
      for (auto key : k_branch_forbidden)
        if (NodeId at = m_doc.find(schema, key); at != k_no_node)
          problem(at, field, fmt::format("{} may not be set inside allOf/anyOf/oneOf/not (not structural)", key));
    } else if (!typed && !int_or_string && !flag(schema, "x-kubernetes-preserve-unknown-fields")) {
      problem(schema, field,
              "type is required in a structural schema (or x-kubernetes-int-or-string or "
              "x-kubernetes-preserve-unknown-fields: true)");
    }
    if (int_or_string && typed) problem(schema, field, "x-kubernetes-int-or-string: true requires no type");
    if (text(m_doc.find(schema, "type")) == "array" && m_doc.find(schema, "items") == k_no_node)
      problem(schema, field, "an array needs items in a structural schema");
    if (NodeId at = m_doc.find(schema, "pattern"); at != k_no_node) {
      Pattern pattern(text(at));
      if (!pattern.valid()) problem(at, field + ".pattern", "does not compile: " + pattern.error());
    }
    NodeId properties = m_doc.find(schema, "properties");
    NodeId additional = m_doc.find(schema, "additionalProperties");
    if (properties != k_no_node && additional != k_no_node)
      problem(additional, field, "properties and additionalProperties may not both be set");
    if (properties != k_no_node && m_doc.node(properties).kind == NodeKind::mapping) {
      const auto& kids = m_doc.node(properties).children;
      for (std::size_t i = 0; i + 1 < kids.size(); i += 2)
        structural(kids[i + 1], field + ".properties." + std::string(text(kids[i])), depth + 1, in_branch);
    }
    if (additional != k_no_node && m_doc.node(additional).kind == NodeKind::mapping)
      structural(additional, field + ".additionalProperties", depth + 1, in_branch);
    if (NodeId items = m_doc.find(schema, "items"); items != k_no_node)
      structural(items, field + ".items", depth + 1, in_branch);
    for (std::string_view key : {"allOf", "anyOf", "oneOf"}) {
      NodeId list = m_doc.find(schema, key);
      if (list == k_no_node) continue;
      const auto& branches = m_doc.node(list).children;
      for (std::size_t i = 0; i < branches.size(); ++i)
        structural(branches[i], fmt::format("{}.{}[{}]", field, key, i), depth + 1, true);
    }
    if (NodeId negated = m_doc.find(schema, "not"); negated != k_no_node)
      structural(negated, field + ".not", depth + 1, true);
  }

  // At the root, metadata may only restrict name and generateName.
  void root_metadata(NodeId schema, const std::string& field) {
    NodeId metadata = m_doc.find(m_doc.find(schema, "properties"), "metadata");
    NodeId properties = m_doc.find(metadata, "properties");
    if (properties == k_no_node || m_doc.node(properties).kind != NodeKind::mapping) return;
    const auto& kids = m_doc.node(properties).children;
    for (std::size_t i = 0; i + 1 < kids.size(); i += 2)
      if (text(kids[i]) != "name" && text(kids[i]) != "generateName")
        problem(kids[i], field + ".properties.metadata",
                "only metadata.name and metadata.generateName may be restricted");
  }

  // The schema as JSON, for the compiler. Values below it (default,
  // example) may nest deeper than schemas do, within bounds.
  json to_json(NodeId node, std::size_t depth = 0) const {
    if (depth > 4 * k_max_crd_depth)
      throw Failure(ErrorCode::input, fmt::format("values nested deeper than {} levels", 4 * k_max_crd_depth));
    const yaml::Node& n = m_doc.node(node);
    if (n.kind == NodeKind::mapping) {
      json object = json::object();
      for (std::size_t i = 0; i + 1 < n.children.size(); i += 2)
        object[std::string(text(n.children[i]))] = to_json(n.children[i + 1], depth + 1);
      return object;
    }
    if (n.kind == NodeKind::sequence) {
      json array = json::array();
      for (NodeId item : n.children) array.push_back(to_json(item, depth + 1));
      return array;
    }
    Value v = classify(n);
    switch (v.kind) {
      case ValueKind::null: return nullptr;
      case ValueKind::boolean: return boolean_value(n);
      case ValueKind::integer:
        if (v.number->fits_int64) return v.number->integer;
        return v.number->real;
      case ValueKind::number: return v.number->real;
      default: return n.value;
    }
  }

  const yaml::Document& m_doc;
  const std::string& m_path;
  std::vector<Finding>& m_problems;
};

}  // namespace

bool add_crd_schemas(Model& model, const yaml::Document& doc, NodeId object, const std::string& path,
                     std::vector<Finding>& problems) {
  return CrdReader(doc, path, problems).read(model, object);
}

}  // namespace pushgate::schema
