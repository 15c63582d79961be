#include "validators/schema/crd_schema.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/validators/schema/schema_test_support.hpp"

using namespace pushgate;
using pushgate::schema::Lookup;
using pushgate::test::check_yaml;
using pushgate::test::only_finding;

namespace {

constexpr const char* k_crd = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.example.com
spec:
  group: example.com
  names: {kind: Backup, plural: backups}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [schedule]
            properties:
              schedule: {type: string, pattern: "^[0-9 *]+$"}
              keep: {type: integer, minimum: 1, maximum: 100}
              mode: {type: string, enum: [full, incremental]}
              size: {x-kubernetes-int-or-string: true}
              tags: {type: array, items: {type: string}, maxItems: 3}
              options: {type: object, x-kubernetes-preserve-unknown-fields: true}
              target:
                type: object
                properties: {bucket: {type: string, nullable: true}}
              id: {type: string, format: uuid}
  - name: v1alpha1
    served: false
    storage: false
    schema:
      openAPIV3Schema: {type: object}
)";

// The problems of adding the CRD of `text` to `set`; `added` tells whether it was.
std::vector<Finding> add(schema::SchemaSet& set, const std::string& text, bool* added = nullptr) {
  auto loaded = yaml::load(text, yaml::Limits{});
  REQUIRE(loaded.problems.empty());
  std::vector<Finding> problems;
  const yaml::Document& doc = loaded.documents.at(0);
  bool ok = set.add_crd(doc, doc.root(), "crd.yaml", problems);
  if (added != nullptr) *added = ok;
  CHECK(ok == problems.empty());
  return problems;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string describe(const std::vector<Finding>& findings) {
  std::string all;
  for (const Finding& f : findings) all += "\n  " + format_finding(f);
  return all;
}

const char* k_backup = "apiVersion: example.com/v1\nkind: Backup\nmetadata: {name: nightly}\n";

}  // namespace

TEST_CASE("CRD: its custom resources are checked against its schema", "[schema]") {
  schema::SchemaSet base = test::widget_schemas();
  schema::SchemaSet crds;
  REQUIRE(add(crds, k_crd).empty());
  CHECK(crds.knows_api_version("example.com/v1"));
  CHECK(!crds.knows_api_version("example.com/v1alpha1"));  // not served

  auto ok = check_yaml(base, std::string(k_backup) +
                                 "spec: {schedule: \"0 3 * * *\", keep: 7, mode: full, size: 10Gi, tags: [a],"
                                 " options: {any: {thing: 1}}, target: {bucket: null}}\n", &crds);
  INFO(ok.describe());
  CHECK(ok.lookup == Lookup::checked);
  CHECK(ok.findings.empty());

  CHECK(format_finding(only_finding(check_yaml(base, std::string(k_backup) + "spec: {schedule: \"5\", keep: seven}\n",
                                               &crds))) ==
        "w.yaml:4:29: error: [k8s.schema] spec.keep: expected integer, got string \"seven\"");
  // The one finding for a Backup with `spec`.
  auto message = [&](const std::string& spec) {
    return only_finding(check_yaml(base, std::string(k_backup) + "spec: " + spec + "\n", &crds)).message;
  };
  CHECK(message("{schedule: \"5\", kep: 7}") == "spec.kep: unknown field (did you mean keep?)");
  CHECK(message("{schedule: \"5\", target: {bukket: b}}") == "spec.target.bukket: unknown field (did you mean bucket?)");
  CHECK(message("{keep: 3}") == "spec: missing required field \"schedule\"");
  CHECK(message("{schedule: \"5\", keep: 0}") == "spec.keep: 0 is less than the minimum 1");
  CHECK(message("{schedule: \"5\", mode: half}") ==
        "spec.mode: unsupported value \"half\" (expected one of \"full\", \"incremental\")");
  CHECK(message("{schedule: \"5\", tags: [a, b, c, d]}") == "spec.tags: has 4 items, more than the maximum 3");
  CHECK(message("{schedule: \"5\", size: 1.5}") == "spec.size: expected integer or string, got number 1.5");
  CHECK(message("{schedule: \"5\", id: 42-x}") == "spec.id: expected a UUID, got \"42-x\"");
  CHECK(message("{schedule: daily}") == "spec.schedule: \"daily\" does not match the pattern ^[0-9 *]+$");
  SECTION("metadata is checked as ObjectMeta of the base set") {
    CHECK(only_finding(check_yaml(base, "apiVersion: example.com/v1\nkind: Backup\nmetadata: {nam: x}\n", &crds))
              .message == "metadata.nam: unknown field (did you mean name?)");
  }
  SECTION("status is allowed where the schema does not declare it") {
    CHECK(check_yaml(base, std::string(k_backup) + "status: {phase: done}\n", &crds).findings.empty());
  }
  SECTION("without the CRD its kind is unknown") {
    CHECK(check_yaml(base, k_backup).lookup == Lookup::unknown_kind);  // the base has example.com/v1 Widget
  }
}

TEST_CASE("CRD: the overlay wins over the base on the same kind", "[schema]") {
  schema::SchemaSet base = test::widget_schemas();
  schema::SchemaSet crds;
  std::string widget_crd = replaced(replaced(replaced(k_crd, "backups.example.com", "widgets.example.com"),
                                             "{kind: Backup, plural: backups}", "{kind: Widget, plural: widgets}"),
                                    "required: [schedule]", "required: []");
  REQUIRE(add(crds, widget_crd).empty());
  std::string widget = "apiVersion: example.com/v1\nkind: Widget\nspec: {keep: 2}\n";
  CHECK(check_yaml(base, widget, &crds).findings.empty());
  CHECK(!check_yaml(base, widget).findings.empty());
}

TEST_CASE("CRD: what the API server would refuse is reported and nothing is added", "[schema]") {
  schema::SchemaSet crds;
  bool added = true;
  SECTION("a name other than plural.group") {
    auto problems = add(crds, replaced(k_crd, "name: backups.example.com", "name: backup.example.com"), &added);
    INFO(describe(problems));
    REQUIRE(problems.size() == 1);
    CHECK(format_finding(problems[0]) ==
          "crd.yaml:4:9: error: [k8s.schema] metadata.name: must be spec.names.plural + \".\" + spec.group: "
          "\"backups.example.com\"");
  }
  SECTION("a field without a type is not structural") {
    auto problems = add(crds, replaced(k_crd, "keep: {type: integer, minimum: 1, maximum: 100}", "keep: {minimum: 1}"),
                        &added);
    INFO(describe(problems));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].where.line == 22);
    CHECK(problems[0].where.column == 21);
    CHECK(problems[0].message.starts_with(
        "spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.keep: type is required in a structural "
        "schema"));
  }
  SECTION("a type inside anyOf is not structural") {
    auto problems = add(crds, replaced(k_crd, "size: {x-kubernetes-int-or-string: true}",
                                       "size: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}]}"),
                        &added);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message.find("anyOf[0]: type may not be set inside allOf/anyOf/oneOf/not") !=
          std::string::npos);
  }
  SECTION("a pattern that does not compile") {
    auto problems = add(crds, replaced(k_crd, "pattern: \"^[0-9 *]+$\"", "pattern: \"^[0-9\""), &added);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message.starts_with(
        "spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.schedule.pattern: does not compile: "));
    CHECK(problems[0].where.line == 21);
  }
  SECTION("an array without items") {
    auto problems = add(crds, replaced(k_crd, "tags: {type: array, items: {type: string}, maxItems: 3}",
                                       "tags: {type: array}"), &added);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message.ends_with("tags: an array needs items in a structural schema"));
  }
  SECTION("$ref") {
    auto problems = add(crds, replaced(k_crd, "target:\n", "target:\n                $ref: \"#/x\"\n"), &added);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message.find("$ref is not allowed") != std::string::npos);
  }
  SECTION("group, names and versions missing") {
    auto problems = add(crds, "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                              "metadata: {name: x}\nspec: {scope: Namespaced}\n", &added);
    INFO(describe(problems));
    CHECK(problems.size() == 4);
  }
  SECTION("a version without a schema") {
    auto problems = add(crds, replaced(k_crd, "    schema:\n      openAPIV3Schema: {type: object}\n", ""), &added);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message == "spec.versions[1].schema.openAPIV3Schema: a schema is required "
                                 "(apiextensions.k8s.io/v1)");
  }
  SECTION("metadata restricted beyond name and generateName") {
    auto problems = add(crds, replaced(k_crd, "        properties:\n          spec:\n",
                                       "        properties:\n          metadata: {type: object, properties: "
                                       "{labels: {type: object}}}\n          spec:\n"),
                        &added);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message.ends_with("only metadata.name and metadata.generateName may be restricted"));
  }
  CHECK(!added);
  CHECK(crds.kind_count() == 0);
}

TEST_CASE("CRD: x-kubernetes-embedded-resource in a custom resource", "[schema]") {
  schema::SchemaSet base = test::widget_schemas();
  schema::SchemaSet crds;
  REQUIRE(add(crds, replaced(k_crd, "              options: {type: object, x-kubernetes-preserve-unknown-fields: true}\n",
                             "              options: {type: object, x-kubernetes-preserve-unknown-fields: true}\n"
                             "              workload: {type: object, x-kubernetes-embedded-resource: true,"
                             " x-kubernetes-preserve-unknown-fields: true}\n"))
              .empty());
  CHECK(check_yaml(base, std::string(k_backup) + "spec: {schedule: \"5\", workload: {apiVersion: v9, kind: X, a: 1}}\n",
                   &crds).findings.empty());
  CHECK(only_finding(check_yaml(base, std::string(k_backup) +
                                          "spec: {schedule: \"5\", workload: {apiVersion: v1, kind: Holder, data: {a: [1]}}}\n",
                                &crds))
            .message == "spec.workload.data.a: expected string, got array");
}
