// Schemas and objects made to cost time or memory: each is refused or
// stopped within a bound, with a message.

#include <catch2/catch.hpp>

#include <chrono>

#include "core/util/error.hpp"
#include "tests/unit/validators/schema/schema_test_support.hpp"
#include "validators/schema/openapi_document.hpp"

using namespace pushgate;
using Clock = std::chrono::steady_clock;

namespace {

std::string failure_of(const std::string& text) { return test::openapi_failure(text, "hostile.json"); }

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A v2 document whose kind A has `body` as its schema.
std::string with_kind(const std::string& body, const std::string& more_definitions = "") {
  return R"({"swagger": "2.0", "definitions": {)" + more_definitions + R"("A": )" + body.substr(0, body.size() - 1) +
         R"(, "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "A"}]}}})";
}

}  // namespace

TEST_CASE("hostile OpenAPI documents are refused quickly", "[schema]") {
  auto start = Clock::now();
  SECTION("100,000 nested [") {
    CHECK(failure_of(std::string(100'000, '[')) == "hostile.json: JSON nested deeper than 256 levels at byte 256");
  }
  SECTION("brackets inside strings do not count") {
    CHECK(failure_of("{\"swagger\": \"" + std::string(1000, '[') + "\"}") ==
          "hostile.json: the document defines no schemas");
  }
  SECTION("50 MB") {
    std::string huge = "{\"swagger\": \"2.0\", \"x\": \"" + std::string(50u << 20, 'a') + "\"}";
    CHECK(failure_of(huge).find("more than the 32 MiB an OpenAPI document may have") != std::string::npos);
  }
  SECTION("a $ref cycle") {
    CHECK(failure_of(with_kind(R"({"$ref": "#/definitions/B"})", R"("B": {"$ref": "#/definitions/A"},)")) ==
          "hostile.json: $ref '#/definitions/A' leads through more than 32 references (a cycle?)");
  }
  SECTION("schemas nested inline beyond the limit") {
    std::string deep = R"({"type": "string"})";
    for (int i = 0; i < 100; ++i) deep = R"({"type": "object", "properties": {"a": )" + deep + "}}";
    CHECK(failure_of(with_kind(deep)).find("schemas nested deeper than 64 levels") != std::string::npos);
  }
  SECTION("more schema nodes than a source may have") {
    std::string wide = R"({"type": "object", "properties": {)";
    for (int i = 0; i < 210'000; ++i) wide += (i ? "," : "") + ("\"p" + std::to_string(i) + "\": {\"type\": \"string\"}");
    wide += "}}";
    CHECK(failure_of(with_kind(wide)).ends_with(": more than 200000 schema nodes"));
  }
  CHECK(seconds_since(start) < 5);
}

TEST_CASE("recursive types compile once and check to the object's depth", "[schema]") {
  schema::SchemaSet set;
  set.add_openapi(with_kind(R"({"type": "object", "properties": {"kind": {"type": "string"},
      "apiVersion": {"type": "string"}, "child": {"$ref": "#/definitions/A"}, "n": {"type": "integer"}}})"),
                  "recursive.json");
  CHECK(set.tables().types.size() < 10);
  std::string text = "apiVersion: v1\nkind: A\n";
  std::string indent;
  for (int i = 0; i < 50; ++i) text += indent + "child:\n", indent += "  ";
  text += indent + "n: x\n";
  auto checked = test::check_yaml(set, text);
  REQUIRE(checked.findings.size() == 1);
  CHECK(checked.findings[0].message.ends_with("child.n: expected integer, got string \"x\""));
  CHECK(checked.findings[0].where.line == 53);
}

TEST_CASE("a schema whose anyOf branches multiply is stopped by the work bound", "[schema]") {
  // Without $ref (a CRD) the work is bounded by schema size times object
  // size; with it, a kind can offer itself twice in anyOf: 2^depth walks.
  schema::SchemaSet set;
  set.add_openapi(with_kind(R"({"type": "object", "required": ["missing"],
      "properties": {"kind": {"type": "string"}, "apiVersion": {"type": "string"}},
      "anyOf": [{"$ref": "#/definitions/A"}, {"$ref": "#/definitions/A"}]})"),
                  "bomb.json");
  auto start = Clock::now();
  auto checked = test::check_yaml(set, "apiVersion: v1\nkind: A\n");
  CHECK(seconds_since(start) < 5);
  INFO(checked.describe());
  REQUIRE(checked.findings.size() >= 2);
  CHECK(format_finding(checked.findings[1]) ==
        "w.yaml:1:1: error: [k8s.schema] checking stopped: the schema needs more than 1000000 steps for this object");
}

TEST_CASE("a pattern made to backtrack is stopped by the match limit", "[schema]") {
  schema::SchemaSet set;
  set.add_openapi(with_kind(R"({"type": "object", "properties": {"kind": {"type": "string"},
      "apiVersion": {"type": "string"}, "s": {"type": "string", "pattern": "^(a|aa)+$"}}})"),
                  "backtrack.json");
  auto start = Clock::now();
  auto checked = test::check_yaml(set, "apiVersion: v1\nkind: A\ns: " + std::string(5000, 'a') + "b\n");
  CHECK(seconds_since(start) < 2);
  REQUIRE(checked.findings.size() == 1);
  CHECK(checked.findings[0].message.find("takes too long") != std::string::npos);
}

TEST_CASE("a hostile CRD is refused with a finding, not an exception", "[schema]") {
  std::string deep = "{type: string}";
  for (int i = 0; i < 80; ++i) deep = "{type: object, properties: {a: " + deep + "}}";
  std::string crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                    "metadata: {name: deeps.example.com}\nspec:\n  group: example.com\n"
                    "  names: {kind: Deep, plural: deeps}\n  versions:\n  - name: v1\n    served: true\n"
                    "    schema:\n      openAPIV3Schema: " + deep + "\n";
  auto loaded = yaml::load(crd, yaml::Limits{.depth = 1000});
  REQUIRE(loaded.problems.empty());
  schema::SchemaSet crds;
  std::vector<Finding> problems;
  CHECK(!crds.add_crd(loaded.documents[0], loaded.documents[0].root(), "crd.yaml", problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message.ends_with("schemas nested deeper than 64 levels"));
}
