#include "validators/schema/openapi_document.hpp"

#include <catch2/catch.hpp>

#include "core/util/error.hpp"
#include "tests/unit/validators/schema/schema_test_support.hpp"

using namespace pushgate;
using pushgate::schema::Lookup;
using pushgate::test::check_yaml;
using pushgate::test::only_finding;

namespace {

// As a cluster serves /openapi/v3/apis/example.com/v1: references wrapped in
// allOf to carry a default and a description, enums, nullable.
constexpr const char* k_v3 = R"({
  "openapi": "3.0.0",
  "info": {"title": "Kubernetes", "version": "v1.36"},
  "components": {"schemas": {
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type": "object", "properties": {"name": {"type": "string"}}},
    "example.v1.Gadget": {
      "type": "object",
      "properties": {
        "apiVersion": {"type": "string"}, "kind": {"type": "string"},
        "metadata": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}],
                     "default": {}, "description": "Standard object's metadata."},
        "spec": {"allOf": [{"$ref": "#/components/schemas/example.v1.GadgetSpec"}], "default": {}}},
      "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Gadget"}]},
    "example.v1.GadgetSpec": {
      "type": "object",
      "properties": {
        "policy": {"type": "string", "enum": ["Always", "Never"], "default": "Always"},
        "note": {"type": "string", "nullable": true},
        "level": {"type": "integer", "format": "int64"},
        "choice": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}}
  }}
})";

std::string failure_of(const std::string& text) { return test::openapi_failure(text, "doc.json"); }

}  // namespace

TEST_CASE("OpenAPI v3 documents are read like v2", "[schema]") {
  schema::SchemaSet set;
  set.add_openapi(k_v3, "apis__example.com__v1_openapi.json");
  CHECK(set.knows_api_version("example.com/v1"));
  std::string gadget = "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec:\n";
  auto ok = check_yaml(set, gadget + "  policy: Never\n  note: null\n  level: 9000000000\n  choice: 3\n");
  INFO(ok.describe());
  CHECK(ok.findings.empty());
  CHECK(only_finding(check_yaml(set, gadget + "  policy: Sometimes\n")).message ==
        "spec.policy: unsupported value \"Sometimes\" (expected one of \"Always\", \"Never\")");
  CHECK(only_finding(check_yaml(set, gadget + "  polcy: Never\n")).message ==
        "spec.polcy: unknown field (did you mean policy?)");
  CHECK(only_finding(check_yaml(set, gadget + "  choice: [1]\n")).message ==
        "spec.choice: matches none of the schemas it must match one of (oneOf)");
  CHECK(only_finding(check_yaml(set, "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {nme: g}\n")).message ==
        "metadata.nme: unknown field (did you mean name?)");
}

TEST_CASE("OpenAPI documents that cannot be used are refused with the source named", "[schema]") {
  CHECK(failure_of("{") == "doc.json: not valid JSON");
  CHECK(failure_of("[]") == "doc.json: not an OpenAPI document (expected a JSON object)");
  CHECK(failure_of("{\"a\": 1}").starts_with("doc.json: neither an OpenAPI v2 document"));
  CHECK(failure_of("{\"swagger\": \"2.0\", \"definitions\": {\"a\": {\"type\": \"object\"}}}") ==
        "doc.json: no schema names a Kubernetes kind (x-kubernetes-group-version-kind)");
  CHECK(failure_of(R"({"swagger": "2.0", "definitions": {"a": {"properties": {"b": {"$ref": "#/definitions/zz"}},
      "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "A"}]}}})") ==
        "doc.json: a.b: $ref '#/definitions/zz' names no schema of the document");
  CHECK(failure_of(R"({"swagger": "2.0", "definitions": {"a": {"type": "strin",
      "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "A"}]}}})") ==
        "doc.json: a: unknown type 'strin'");
  SECTION("a failed document leaves the set as it was") {
    schema::SchemaSet set = test::widget_schemas();
    std::size_t kinds = set.kind_count();
    CHECK_THROWS_AS(set.add_openapi("{\"swagger\": \"2.0\", \"definitions\": {}}", "empty.json"), Failure);
    CHECK(set.kind_count() == kinds);
  }
}
