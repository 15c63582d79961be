#pragma once
// A compiled set of Kubernetes schemas: the kinds served at each apiVersion
// and, for each, a graph of type records that check_object walks.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/finding.hpp"
#include "core/yaml/yaml_tree.hpp"
#include "validators/schema/schema_format.hpp"

namespace pushgate::schema {

class KindIndex;
class Model;
class PropertyIndex;

class SchemaSet {
 public:
  SchemaSet();
  ~SchemaSet();
  SchemaSet(SchemaSet&&) noexcept;
  SchemaSet& operator=(SchemaSet&&) noexcept;

  // Adds the kinds of an OpenAPI v2 document (swagger.json: definitions
  // with x-kubernetes-group-version-kind) or an OpenAPI v3 document
  // (components.schemas, same extension); which one is read from the text.
  // A kind already in the set is replaced. Throws Failure("SOURCE: what is
  // wrong") for bad JSON or a document it cannot use, and for one beyond
  // the limits in openapi_document.hpp (size, nesting, $ref chains, nodes).
  void add_openapi(std::string_view json_text, std::string_view source);

  // Adds every served version of the CustomResourceDefinition
  // (apiextensions.k8s.io/v1) at `object` of `doc`. What is wrong with the
  // CRD itself (not a structural schema, metadata.name other than
  // <plural>.<group>, group, names or versions missing) is appended to
  // `problems` as k8s.schema findings at `path`, and then nothing is added.
  // Returns true when the CRD was added. Its CEL rules
  // (x-kubernetes-validations) are not checked (schema_compiler.hpp).
  bool add_crd(const yaml::Document& doc, yaml::NodeId object, const std::string& path,
               std::vector<Finding>& problems);

  // The compact form: the tables as flat bytes, to write beside the config.
  std::string compiled() const;
  // Reads a compact form in place (no parse, no copy of the tables). Throws
  // Failure for bytes that are not one: foreign, truncated, corrupt (a
  // checksum), or of another format version; every index is bounds-checked
  // here, so a set it returns is safe to walk.
  static SchemaSet from_compiled(std::string bytes);

  // True when some kind is served at `api_version` ("apps/v1", "v1").
  bool knows_api_version(std::string_view api_version) const;
  // The root type of `kind` at `api_version`, or k_none.
  std::uint32_t find_kind(std::string_view api_version, std::string_view kind) const;
  // The apiVersions that serve `kind`, sorted, for messages about an
  // unknown apiVersion ("Deployment is served at apps/v1").
  std::vector<std::string_view> api_versions_of(std::string_view kind) const;
  // How many (apiVersion, kind) pairs the set serves.
  std::size_t kind_count() const { return m_tables.kinds.size(); }

  // The tables, valid while the set lives and is not changed.
  const Tables& tables() const { return m_tables; }

 private:
  Model& model();
  // Shows `tables`, with indexes of their kinds and properties.
  void show(Tables tables);

  std::unique_ptr<Model> m_model;          // while compiling
  std::unique_ptr<const std::string> m_bytes;  // a loaded compact form
  std::unique_ptr<const PropertyIndex> m_index;  // of m_tables
  std::unique_ptr<const KindIndex> m_kinds;      // of m_tables
  Tables m_tables;
};

}  // namespace pushgate::schema
