#include "validators/k8s/k8s_rules.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/validators/test_support.hpp"

using namespace pushgate;
using pushgate::test::describe;
using pushgate::test::only;
using pushgate::test::validate_text;
using pushgate::test::with_rule;

namespace {

// A Deployment with `metadata_body` as its metadata block (indented by 2).
std::string deployment(const std::string& metadata_body) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n" + metadata_body + "spec: {}\n";
}

}  // namespace

TEST_CASE("k8s rules accept well-formed objects", "[validators][k8s]") {
  Report report = validate_text("ok.yaml",
                                "apiVersion: apps/v1\n"
                                "kind: Deployment\n"
                                "metadata:\n"
                                "  name: web.frontend\n"
                                "  namespace: prod\n"
                                "  labels: {app: web, example.com/tier: front_end, empty: \"\", none: }\n"
                                "  annotations: {note: \"1\", kubernetes.io/change-cause: update}\n"
                                "---\n"
                                "apiVersion: rbac.authorization.k8s.io/v1\n"
                                "kind: ClusterRole\n"
                                "metadata: {name: \"system:controller:web\"}\n"
                                "---\n"
                                "apiVersion: batch/v1beta1\n"
                                "kind: Job\n"
                                "metadata: {generateName: migrate-}\n"
                                "---\n"
                                "not: a kubernetes object\n");
  INFO(describe(report));
  CHECK(report.findings.empty());
}

TEST_CASE("k8s.apiVersion and k8s.kind", "[validators][k8s]") {
  SECTION("apiVersion missing: at the object") {
    Finding f = only(validate_text("a.yaml", "kind: Service\nmetadata: {name: web}\n"), "k8s.apiVersion");
    CHECK(f.where.line == 1);
    CHECK(f.where.column == 1);
    CHECK(f.severity == Severity::error);
  }
  SECTION("apiVersion malformed: at the value") {
    Finding f = only(validate_text("a.yaml", "apiVersion: Apps/v1\nkind: Deployment\nmetadata: {name: web}\n"),
                     "k8s.apiVersion");
    CHECK(f.where.line == 1);
    CHECK(f.where.column == 13);
    CHECK(f.message.find("'Apps'") != std::string::npos);
    CHECK(with_rule(validate_text("a.yaml", "apiVersion: apps/1\nkind: D\nmetadata: {name: x}\n"),
                    "k8s.apiVersion").size() == 1);
    CHECK(with_rule(validate_text("a.yaml", "apiVersion: v1beta\nkind: D\nmetadata: {name: x}\n"),
                    "k8s.apiVersion").size() == 1);
    CHECK(with_rule(validate_text("a.yaml", "apiVersion: a/b/v1\nkind: D\nmetadata: {name: x}\n"),
                    "k8s.apiVersion").size() == 1);
    CHECK(with_rule(validate_text("a.yaml", "apiVersion: x.io/v2alpha3\nkind: D\nmetadata: {name: x}\n"),
                    "k8s.apiVersion").empty());
  }
  SECTION("apiVersion not a string") {
    Finding f = only(validate_text("a.yaml", "apiVersion: 1\nkind: D\nmetadata: {name: x}\n"), "k8s.apiVersion");
    CHECK(f.message.find("quote it") != std::string::npos);
    CHECK(f.where.column == 13);
  }
  SECTION("kind missing or not upper camel case") {
    Finding missing = only(validate_text("a.yaml", "apiVersion: v1\nmetadata: {name: x}\n"), "k8s.kind");
    CHECK(missing.where.line == 1);
    Finding lower = only(validate_text("a.yaml", "apiVersion: v1\nkind: config-map\nmetadata: {name: x}\n"),
                         "k8s.kind");
    CHECK(lower.where.line == 2);
    CHECK(lower.where.column == 7);
    Finding list = only(validate_text("a.yaml", "apiVersion: v1\nkind: [a]\nmetadata: {name: x}\n"), "k8s.kind");
    CHECK(list.message.find("not a list") != std::string::npos);
  }
}

TEST_CASE("k8s.metadata, k8s.name and k8s.namespace", "[validators][k8s]") {
  SECTION("metadata missing: at the object") {
    Finding f = only(validate_text("a.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: {}\n"), "k8s.metadata");
    CHECK(f.where.line == 1);
  }
  SECTION("metadata not a mapping: at the value") {
    Finding f = only(validate_text("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: web\n"), "k8s.metadata");
    CHECK(f.where.line == 3);
    CHECK(f.where.column == 11);
  }
  SECTION("kustomize configuration needs no metadata") {
    CHECK(validate_text("kustomization.yaml",
                        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n")
              .findings.empty());
  }
  SECTION("Helm's Chart.yaml is not an object") {
    CHECK(validate_text("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n").findings.empty());
  }
  SECTION("name missing: at metadata") {
    Finding f = only(validate_text("a.yaml", deployment("  labels: {a: b}\n")), "k8s.name");
    CHECK(f.where.line == 4);
    CHECK(f.where.column == 3);
  }
  SECTION("name not a DNS subdomain") {
    Finding f = only(validate_text("a.yaml", deployment("  name: Web_App\n")), "k8s.name");
    CHECK(f.where.line == 4);
    CHECK(f.where.column == 9);
    CHECK(f.message.find("'Web_App'") != std::string::npos);
    std::string long_name(254, 'a');
    Finding too_long = only(validate_text("a.yaml", deployment("  name: " + long_name + "\n")), "k8s.name");
    CHECK(too_long.message.find("254 characters") != std::string::npos);
  }
  SECTION("kinds that need a DNS label: Namespace, Service") {
    Finding ns = only(validate_text("a.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: team.a}\n"),
                      "k8s.name");
    CHECK(ns.where.column == 18);
    Finding svc = only(validate_text("a.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: 1web}\n"),
                       "k8s.name");
    CHECK(svc.message.find("start with a letter") != std::string::npos);
    CHECK(with_rule(validate_text("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: team.a}\n"),
                    "k8s.name").empty());
  }
  SECTION("name must be a string") {
    Finding f = only(validate_text("a.yaml", deployment("  name: 123\n")), "k8s.name");
    CHECK(f.message.find("quote it") != std::string::npos);
    CHECK(validate_text("a.yaml", deployment("  name: \"123\"\n")).findings.empty());
  }
  SECTION("generateName may end with '-'") {
    CHECK(with_rule(validate_text("a.yaml", deployment("  generateName: web-\n")), "k8s.name").empty());
    CHECK(with_rule(validate_text("a.yaml", deployment("  generateName: Web-\n")), "k8s.name").size() == 1);
  }
  SECTION("namespace must be a DNS label") {
    Finding f = only(validate_text("a.yaml", deployment("  name: web\n  namespace: team.prod\n")), "k8s.namespace");
    CHECK(f.severity == Severity::error);
    CHECK(f.where.line == 5);
    CHECK(f.where.column == 14);
  }
  SECTION("an empty namespace means none") {
    CHECK(validate_text("a.yaml", deployment("  name: web\n  namespace: \"\"\n")).findings.empty());
    CHECK(validate_text("a.yaml", deployment("  name: web\n  namespace:\n")).findings.empty());
    CHECK(only(validate_text("a.yaml", deployment("  name: web\n  namespace: 7\n")), "k8s.namespace")
              .message.find("quote it") != std::string::npos);
  }
  SECTION("namespace on a cluster-scoped kind: warning") {
    Finding f = only(validate_text("a.yaml",
                                   "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                                   "metadata:\n  name: reader\n  namespace: prod\n"),
                     "k8s.namespace");
    CHECK(f.severity == Severity::warning);
    CHECK(f.where.line == 5);
    CHECK(f.message.find("cluster-scoped") != std::string::npos);
  }
}

TEST_CASE("k8s.labels and k8s.annotations", "[validators][k8s]") {
  SECTION("label key syntax") {
    Finding f = only(validate_text("a.yaml", deployment("  name: web\n  labels:\n    bad key: x\n")), "k8s.labels");
    CHECK(f.where.line == 6);
    CHECK(f.where.column == 5);
    Finding prefix = only(validate_text("a.yaml", deployment("  name: web\n  labels:\n    Example.com/a: x\n")),
                          "k8s.labels");
    CHECK(prefix.message.find("prefix") != std::string::npos);
    std::string long_key(64, 'k');
    CHECK(with_rule(validate_text("a.yaml", deployment("  name: web\n  labels: {" + long_key + ": x}\n")),
                    "k8s.labels").size() == 1);
  }
  SECTION("label value syntax and length") {
    Finding f = only(validate_text("a.yaml", deployment("  name: web\n  labels:\n    app: -web\n")), "k8s.labels");
    CHECK(f.where.line == 6);
    CHECK(f.where.column == 10);
    std::string long_value(64, 'v');
    CHECK(with_rule(validate_text("a.yaml", deployment("  name: web\n  labels: {app: " + long_value + "}\n")),
                    "k8s.labels").size() == 1);
  }
  SECTION("label values must be strings: unquoted booleans and numbers") {
    Report report = validate_text("a.yaml", deployment("  name: web\n  labels:\n    enabled: true\n"
                                                       "    version: 1.0\n    on: yes\n    ok: \"1.0\"\n"));
    auto found = with_rule(report, "k8s.labels");
    REQUIRE(found.size() == 3);
    CHECK(found[0].where.line == 6);
    CHECK(found[0].where.column == 14);
    CHECK(found[0].message.find("quote it (\"true\")") != std::string::npos);
    CHECK(found[1].message.find("number") != std::string::npos);
    CHECK(found[2].message.find("boolean") != std::string::npos);
  }
  SECTION("labels must be a mapping") {
    Finding f = only(validate_text("a.yaml", deployment("  name: web\n  labels: [a]\n")), "k8s.labels");
    CHECK(f.where.line == 5);
    CHECK(f.where.column == 11);
  }
  SECTION("annotation keys and value types") {
    Report report = validate_text("a.yaml", deployment("  name: web\n  annotations:\n    /x: a\n    replicas: 3\n"
                                                       "    note: |\n      any text: at all\n"));
    auto found = with_rule(report, "k8s.annotations");
    REQUIRE(found.size() == 2);
    CHECK(found[0].where.line == 6);
    CHECK(found[1].where.line == 7);
    CHECK(found[1].where.column == 15);
  }
  SECTION("annotations over 256 KiB in total") {
    std::string big(200 * 1024, 'x');
    Finding f = only(validate_text("a.yaml", deployment("  name: web\n  annotations:\n    a: " + big +
                                                        "\n    b: " + big + "\n")),
                     "k8s.annotations");
    CHECK(f.where.line == 6);
    CHECK(f.message.find("262144") != std::string::npos);
  }
}

TEST_CASE("List items are checked one by one", "[validators][k8s]") {
  SECTION("each item at its own position, named by index") {
    Report report = validate_text("list.yaml",
                                  "apiVersion: v1\n"
                                  "kind: List\n"
                                  "items:\n"
                                  "- apiVersion: v1\n"
                                  "  kind: ConfigMap\n"
                                  "  metadata: {name: good}\n"
                                  "- apiVersion: v1\n"
                                  "  kind: ConfigMap\n"
                                  "  metadata: {name: Bad}\n"
                                  "- kind: Secret\n"
                                  "  metadata: {name: s}\n"
                                  "- just text\n");
    Finding name = only(report, "k8s.name");
    CHECK(name.where.line == 9);
    CHECK(name.where.column == 20);
    CHECK(name.message.starts_with("items[1]: "));
    Finding api = only(report, "k8s.apiVersion");
    CHECK(api.where.line == 10);
    CHECK(api.where.column == 3);
    CHECK(api.message.starts_with("items[2]: "));
    Finding item = only(report, "k8s.list");
    CHECK(item.where.line == 12);
    CHECK(item.where.column == 3);
  }
  SECTION("any *List kind with items, and a List without items") {
    Report report = validate_text("list.yaml",
                                  "apiVersion: v1\nkind: ConfigMapList\nitems:\n- {apiVersion: v1, kind: ConfigMap}\n");
    CHECK(only(report, "k8s.metadata").where.line == 4);
    CHECK(only(validate_text("l.yaml", "apiVersion: v1\nkind: List\n"), "k8s.list").where.line == 1);
    CHECK(only(validate_text("l.yaml", "apiVersion: v1\nkind: List\nitems: {}\n"), "k8s.list").where.line == 3);
  }
}
