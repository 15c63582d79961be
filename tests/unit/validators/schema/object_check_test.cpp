#include "validators/schema/object_check.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/validators/schema/schema_test_support.hpp"

using namespace pushgate;
using pushgate::schema::Lookup;
using pushgate::test::check_yaml;
using pushgate::test::only_finding;

namespace {

const schema::SchemaSet& widgets() {
  static const schema::SchemaSet set = test::widget_schemas();
  return set;
}

// A Widget whose spec holds `spec_lines` (each indented by two) after a valid selector.
std::string widget(const std::string& spec_lines) {
  return "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n"
         "  selector: {matchLabels: {app: w}}\n" + spec_lines;
}

}  // namespace

TEST_CASE("schema check accepts a valid object with every feature", "[schema]") {
  auto checked = check_yaml(widgets(), widget("  replicas: 3\n"
                                              "  ratio: 0.5\n"
                                              "  paused: false\n"
                                              "  mode: Fast\n"
                                              "  size: 1.5Gi\n"
                                              "  port: http\n"
                                              "  tags: [a, b]\n"
                                              "  containers: [{name: web, image: nginx}, {name: log}]\n"
                                              "  blob: aGVsbG8=\n"
                                              "  when: 2024-01-02T15:04:05Z\n"
                                              "  extra: {anything: {goes: [1, 2]}}\n"
                                              "  raw: {whatever: 1}\n"
                                              "  template: {apiVersion: x/v1, kind: Thing, metadata: {name: t}, note: hello}\n"
                                              "status: {ready: true}\n"));
  INFO(checked.describe());
  CHECK(checked.lookup == Lookup::checked);
  CHECK(checked.findings.empty());
}

TEST_CASE("schema check: null for an optional field is accepted", "[schema]") {
  auto checked = check_yaml(widgets(), widget("  replicas: ~\n  mode:\n  tags: null\n"));
  INFO(checked.describe());
  CHECK(checked.findings.empty());
}

TEST_CASE("schema check: wrong types at the value, with the field path", "[schema]") {
  SECTION("a word for an integer") {
    Finding f = only_finding(check_yaml(widgets(), widget("  replicas: two\n")));
    CHECK(format_finding(f) == "w.yaml:7:13: error: [k8s.schema] spec.replicas: expected integer, got string \"two\"");
  }
  SECTION("a quoted number is a string") {
    Finding f = only_finding(check_yaml(widgets(), widget("  replicas: \"2\"\n")));
    CHECK(f.message == "spec.replicas: expected integer, got string \"2\"");
  }
  SECTION("a fraction for an integer") {
    CHECK(only_finding(check_yaml(widgets(), widget("  replicas: 1.5\n"))).message ==
          "spec.replicas: expected integer, got number 1.5");
  }
  SECTION("an object for an array") {
    Finding f = only_finding(check_yaml(widgets(), widget("  containers: {}\n")));
    CHECK(f.message == "spec.containers: expected array, got object");
    CHECK(f.where.line == 7);
    CHECK(f.where.column == 15);
  }
  SECTION("a number for a string, inside a list item") {
    Finding f = only_finding(check_yaml(widgets(), widget("  containers:\n  - name: web\n    image: 1.25\n")));
    CHECK(f.message == "spec.containers[0].image: expected string, got number 1.25");
    CHECK(f.where.line == 9);
    CHECK(f.where.column == 12);
  }
  SECTION("yes is a boolean to Kubernetes' YAML reader") {
    Finding f = only_finding(check_yaml(widgets(), "apiVersion: v1\nkind: Holder\ndata: {enabled: yes}\n"));
    CHECK(f.message == "data.enabled: expected string, got boolean yes");
  }
  SECTION("out of range for int32") {
    CHECK(only_finding(check_yaml(widgets(), widget("  replicas: 3000000000\n"))).message ==
          "spec.replicas: 3000000000 is out of range for int32");
  }
}

TEST_CASE("schema check: unknown fields at their key", "[schema]") {
  SECTION("a misspelt field gets a suggestion") {
    Finding f = only_finding(
        check_yaml(widgets(), widget("  containers:\n  - name: web\n    imagePullPolcy: Always\n")));
    CHECK(format_finding(f) ==
          "w.yaml:9:5: error: [k8s.schema] spec.containers[0].imagePullPolcy: unknown field (did you mean "
          "imagePullPolicy?)");
  }
  SECTION("a field nothing is like") {
    CHECK(only_finding(check_yaml(widgets(), widget("  flavour: vanilla\n"))).message ==
          "spec.flavour: unknown field");
  }
  SECTION("at the top, and in metadata") {
    auto checked = check_yaml(widgets(), widget("") + "specs: {}\n");
    CHECK(only_finding(checked).message == "specs: unknown field (did you mean spec?)");
    auto meta = check_yaml(widgets(), "apiVersion: v1\nkind: Holder\nmetadata: {name: h, lables: {}}\n");
    CHECK(only_finding(meta).message == "metadata.lables: unknown field (did you mean labels?)");
  }
  SECTION("preserve-unknown-fields and RawExtension take anything") {
    CHECK(check_yaml(widgets(), widget("  extra: {a: {b: c}}\n  raw: {x: [1]}\n")).findings.empty());
  }
}

TEST_CASE("schema check: missing required fields at the mapping", "[schema]") {
  Finding f = only_finding(check_yaml(widgets(), "apiVersion: example.com/v1\nkind: Widget\nspec:\n  selector: {}\n"));
  CHECK(format_finding(f) == "w.yaml:4:13: error: [k8s.schema] spec.selector: missing required field \"matchLabels\"");
  CHECK(only_finding(check_yaml(widgets(), "apiVersion: example.com/v1\nkind: Widget\n")).message ==
        "missing required field \"spec\"");
  CHECK(only_finding(check_yaml(widgets(), widget("  containers: [{image: x}]\n"))).message ==
        "spec.containers[0]: missing required field \"name\"");
}

TEST_CASE("schema check: enums, formats, quantities, int-or-string", "[schema]") {
  CHECK(only_finding(check_yaml(widgets(), widget("  mode: Medium\n"))).message ==
        "spec.mode: unsupported value \"Medium\" (expected one of \"Fast\", \"Slow\")");
  CHECK(only_finding(check_yaml(widgets(), widget("  size: 2 cores\n"))).message ==
        "spec.size: invalid quantity \"2 cores\" (a number with an optional suffix such as 500m, 2, 1.5Gi)");
  CHECK(check_yaml(widgets(), widget("  size: 500m\n")).findings.empty());
  CHECK(check_yaml(widgets(), widget("  size: 0.25\n")).findings.empty());
  CHECK(check_yaml(widgets(), widget("  size: 1e3\n")).findings.empty());
  CHECK(only_finding(check_yaml(widgets(), widget("  size: [1]\n"))).message ==
        "spec.size: expected quantity (a number or a string such as 500m or 1Gi), got array");
  CHECK(check_yaml(widgets(), widget("  port: 8080\n")).findings.empty());
  CHECK(only_finding(check_yaml(widgets(), widget("  port: 80.5\n"))).message ==
        "spec.port: expected integer or string, got number 80.5");
  CHECK(only_finding(check_yaml(widgets(), widget("  port: true\n"))).message ==
        "spec.port: expected integer or string, got boolean true");
  CHECK(only_finding(check_yaml(widgets(), widget("  blob: not base64!\n"))).message ==
        "spec.blob: expected base64 data, got \"not base64!\"");
  CHECK(only_finding(check_yaml(widgets(), widget("  when: yesterday\n"))).message ==
        "spec.when: expected a date-time such as 2024-01-02T15:04:05Z, got \"yesterday\"");
}

TEST_CASE("schema check: list types", "[schema]") {
  Finding f = only_finding(check_yaml(widgets(), widget("  containers:\n  - name: web\n  - name: web\n")));
  CHECK(f.message == "spec.containers[1]: duplicate entry with name=\"web\"");
  CHECK(f.where.line == 9);
  CHECK(only_finding(check_yaml(widgets(), widget("  tags: [a, b, a]\n"))).message ==
        "spec.tags[2]: duplicate entry \"a\"");
  SECTION("short and long lists alike, items without the key sharing the empty one") {
    for (int count : {3, 40}) {
      std::string items;
      for (int i = 0; i < count; ++i) items += "  - name: c" + std::to_string(i) + "\n";
      auto checked = check_yaml(widgets(), widget("  containers:\n" + items + "  - name: c1\n  - {}\n  - {}\n"));
      std::vector<std::string> duplicates;
      for (const Finding& finding : checked.findings)
        if (finding.message.find("duplicate") != std::string::npos) duplicates.push_back(finding.message);
      INFO(count << " items: " << checked.describe());
      CHECK(duplicates == std::vector<std::string>{
                              "spec.containers[" + std::to_string(count) + "]: duplicate entry with name=\"c1\"",
                              "spec.containers[" + std::to_string(count + 2) + "]: duplicate entry with name=\"\""});
    }
  }
}

TEST_CASE("schema check: embedded resources are checked as their own kind when known", "[schema]") {
  Finding f = only_finding(check_yaml(
      widgets(), widget("  template:\n    apiVersion: v1\n    kind: Holder\n    data: {a: 1}\n")));
  CHECK(f.message == "spec.template.data.a: expected string, got integer 1");
  CHECK(f.where.line == 10);
  SECTION("an unknown kind is checked against the embedded schema") {
    CHECK(only_finding(check_yaml(widgets(), widget("  template: {apiVersion: x/v1, kind: Z, nte: n}\n")))
              .message == "spec.template.nte: unknown field (did you mean note?)");
  }
}

TEST_CASE("schema check: unknown apiVersion and kind are the caller's", "[schema]") {
  auto av = check_yaml(widgets(), "apiVersion: example.com/v9\nkind: Widget\n");
  CHECK(av.lookup == Lookup::unknown_api_version);
  CHECK(av.findings.empty());
  auto kind = check_yaml(widgets(), "apiVersion: example.com/v1\nkind: Gadget\n");
  CHECK(kind.lookup == Lookup::unknown_kind);
  CHECK(kind.findings.empty());
  auto list = check_yaml(widgets(), "apiVersion: v1\nkind: List\nitems: []\n");
  CHECK(list.lookup == Lookup::checked);
  CHECK(list.findings.empty());
}

TEST_CASE("schema check caps the findings of one object", "[schema]") {
  std::string many;
  for (int i = 0; i < 50; ++i) many += "  field" + std::to_string(i) + ": x\n";
  auto checked = check_yaml(widgets(), widget(many));
  REQUIRE(checked.findings.size() == schema::k_max_findings_per_object + 1);
  CHECK(checked.findings.back().message == "30 more schema errors in this object");
}
