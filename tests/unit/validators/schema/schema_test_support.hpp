#pragma once
// Helpers for schema tests: a small OpenAPI v2 document, checking YAML
// text, the shared Kubernetes documents.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/util/error.hpp"
#include "core/util/finding.hpp"
#include "core/yaml/yaml_tree.hpp"
#include "validators/schema/object_check.hpp"
#include "validators/schema/schema_set.hpp"

namespace pushgate::test {

// Kinds example.com/v1 Widget and v1 Holder, with one field per feature.
inline const char* k_widget_swagger = R"({
  "swagger": "2.0",
  "definitions": {
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type": "object", "properties": {
      "name": {"type": "string"},
      "labels": {"type": "object", "additionalProperties": {"type": "string"}},
      "creationTimestamp": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}}},
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": {"type": "string", "format": "date-time"},
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": "string"},
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": "string", "format": "int-or-string"},
    "io.k8s.apimachinery.pkg.runtime.RawExtension": {"type": "object"},
    "example.v1.Widget": {
      "type": "object",
      "required": ["spec"],
      "properties": {
        "apiVersion": {"type": "string"}, "kind": {"type": "string"},
        "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
        "spec": {"$ref": "#/definitions/example.v1.WidgetSpec"},
        "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}}},
      "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Widget"}]},
    "example.v1.WidgetSpec": {
      "type": "object",
      "required": ["selector"],
      "properties": {
        "replicas": {"type": "integer", "format": "int32"},
        "ratio": {"type": "number", "format": "double"},
        "paused": {"type": "boolean"},
        "mode": {"type": "string", "enum": ["Fast", "Slow"]},
        "size": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"},
        "port": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString"},
        "selector": {"type": "object", "required": ["matchLabels"], "properties": {
          "matchLabels": {"type": "object", "additionalProperties": {"type": "string"}}}},
        "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
        "containers": {"type": "array", "items": {"$ref": "#/definitions/example.v1.Container"},
                       "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]},
        "blob": {"type": "string", "format": "byte"},
        "when": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time"},
        "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
        "raw": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.runtime.RawExtension"},
        "template": {"type": "object", "x-kubernetes-embedded-resource": true,
                     "properties": {"note": {"type": "string"}}}}},
    "example.v1.Container": {"type": "object", "required": ["name"], "properties": {
      "name": {"type": "string"}, "image": {"type": "string"}, "imagePullPolicy": {"type": "string"}}},
    "example.v1.Holder": {
      "type": "object",
      "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                     "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
                     "data": {"type": "object", "additionalProperties": {"type": "string"}}},
      "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "Holder"}]}
  }
})";

inline schema::SchemaSet widget_schemas() {
  schema::SchemaSet set;
  set.add_openapi(k_widget_swagger, "widget.json");
  return set;
}

// The message of the Failure that adding the OpenAPI document `text` (as
// `source`) to an empty set throws, or "" when it is added.
inline std::string openapi_failure(const std::string& text, const std::string& source) {
  try {
    schema::SchemaSet set;
    set.add_openapi(text, source);
  } catch (const Failure& e) {
    return e.what();
  }
  return "";
}

// The result of checking the first document of `text`.
struct Checked {
  schema::Lookup lookup = schema::Lookup::checked;
  std::vector<Finding> findings;

  // Every finding as text, for failure messages.
  std::string describe() const {
    std::string all;
    for (const Finding& f : findings) all += "\n  " + format_finding(f);
    return all;
  }
};

inline Checked check_yaml(const schema::SchemaSet& base, const std::string& text,
                          const schema::SchemaSet* overlay = nullptr) {
  auto loaded = yaml::load(text, yaml::Limits{});
  REQUIRE(loaded.problems.empty());
  REQUIRE(!loaded.documents.empty());
  const yaml::Document& doc = loaded.documents[0];
  Checked out;
  out.lookup = schema::check_object(base, overlay, doc, doc.root(), "w.yaml", out.findings);
  return out;
}

// The one finding of `checked`; fails the test when there is not exactly one.
inline Finding only_finding(const Checked& checked) {
  INFO("findings:" << checked.describe());
  REQUIRE(checked.findings.size() == 1);
  CHECK(checked.findings[0].rule == "k8s.schema");
  CHECK(checked.findings[0].severity == Severity::error);
  return checked.findings[0];
}

// The folder of shared test data (../shared beside the project), or
// nullopt when it is absent; PUSHGATE_SHARED_DIR in the environment wins.
inline std::optional<std::filesystem::path> shared_file(const std::string& relative) {
  const char* env = std::getenv("PUSHGATE_SHARED_DIR");
  std::filesystem::path dir = env != nullptr ? env : PUSHGATE_SHARED_DIR;
  std::filesystem::path file = dir / relative;
  if (!std::filesystem::exists(file)) return std::nullopt;
  return file;
}

inline std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace pushgate::test
