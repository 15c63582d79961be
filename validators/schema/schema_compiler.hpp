#pragma once
// Compiles JSON Schema as Kubernetes writes it (OpenAPI v2 definitions,
// OpenAPI v3 components, CRD openAPIV3Schema) into a Model.
//
// Read: type, format, required, enum, properties, additionalProperties,
// items, pattern, min/max(Length|Items|Properties), minimum/maximum and
// their exclusive forms, uniqueItems, allOf/anyOf/oneOf/not, $ref, and the
// x-kubernetes- extensions int-or-string, preserve-unknown-fields,
// embedded-resource, list-type and list-map-keys. Not read: default,
// nullable (null is taken everywhere, as kubectl takes it), and
// x-kubernetes-validations, whose CEL rules pushgate does not evaluate: a
// custom resource that breaks one passes the gate and is refused by the API
// server.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "validators/schema/schema_model.hpp"

namespace pushgate::schema {

// How objects without properties read. An OpenAPI document of built-in types
// means "any field" by them (RawExtension); a CRD's structural schema means
// "no field" (the API server prunes what it does not declare).
enum class Dialect { openapi, crd };

// Bounds on what one source may make the compiler do; a source beyond them
// is refused, not partly compiled.
struct CompileLimits {
  std::size_t depth = 64;             // schemas nested inline in one another
  std::size_t types = 200'000;        // type records per source
  std::size_t ref_chain = 32;         // a $ref to a $ref to ...
};

class SchemaCompiler {
 public:
  // `definitions` is the object of named schemas ($ref targets), `ref_prefix`
  // how references name them ("#/definitions/"). Throws Failure("SOURCE: ...")
  // from every call for a schema it cannot use.
  SchemaCompiler(Model& model, const nlohmann::json& definitions, std::string ref_prefix, std::string source,
                 Dialect dialect, CompileLimits limits = {});

  // The type of the named definition, compiled with everything it refers to.
  std::uint32_t definition(const std::string& name);

  // The type of the root of a Kubernetes object: `schema` plus apiVersion,
  // kind, metadata (ObjectMeta) and status where it does not declare them.
  std::uint32_t object_root(const nlohmann::json& schema);

 private:
  std::uint32_t compile(const nlohmann::json& schema, std::size_t depth, bool object_root);
  std::uint32_t reference(const std::string& ref);
  void drain();
  void fill(std::uint32_t index, const nlohmann::json& schema, std::size_t depth, bool object_root);
  std::uint32_t constraints_of(const nlohmann::json& schema, std::size_t depth, std::uint16_t& flags);
  std::vector<std::uint32_t> list_of(const nlohmann::json& schemas, std::size_t depth);
  std::uint32_t any_type();
  std::uint32_t string_type();
  std::uint32_t object_meta_type();
  const nlohmann::json& resolve(const std::string& ref, std::string& name) const;
  [[noreturn]] void fail(const std::string& what) const;

  Model& m_model;
  const nlohmann::json& m_definitions;
  std::string m_ref_prefix;
  std::string m_source;
  Dialect m_dialect;
  CompileLimits m_limits;
  std::size_t m_added = 0;
  std::uint32_t m_any = k_none;
  std::uint32_t m_string = k_none;
  std::uint32_t m_object_meta = k_none;
  std::unordered_map<std::string, std::uint32_t> m_named;  // definitions reserved so far
  std::vector<std::pair<std::string, std::uint32_t>> m_pending;  // reserved, not yet filled
  std::vector<std::string> m_where;  // the path being compiled, for messages
};

}  // namespace pushgate::schema
