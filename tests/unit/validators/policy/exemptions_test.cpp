#include "validators/policy/exemptions.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/validators/policy/policy_test_support.hpp"
#include "validators/report_output.hpp"

using namespace pushgate;
using pushgate::test::clean_deployment;
using pushgate::test::describe;
using pushgate::test::only;
using pushgate::test::validate_text;
using pushgate::test::with_rule;

namespace {

// clean_deployment() with image `image` and metadata.annotations holding
// `annotation` as pushgate.dev/ignore's value, verbatim YAML after the key.
std::string annotated(const std::string& annotation, const std::string& image = "nginx") {
  std::string text = clean_deployment("", "", image);
  text.replace(text.find("  name: web\n"), 12, "  name: web\n  annotations:\n    pushgate.dev/ignore: " + annotation + "\n");
  return text;
}

Report check(const std::string& text, const ValidateSettings& settings = {}) {
  return validate_text("deploy/web.yaml", text, settings);
}

}  // namespace

TEST_CASE("pushgate.dev/ignore turns a policy finding into a note that carries the reason", "[validators][policy]") {
  Report report = check(annotated("\"policy.latest-tag: pinned by digest upstream\""));
  INFO(describe(report));
  Finding f = only(report, "policy.latest-tag");
  CHECK(f.severity == Severity::note);
  CHECK(f.exemption == "pinned by digest upstream");
  CHECK(report.errors == 0);
  CHECK(report.notes == 1);
  CHECK(format_finding(f).starts_with("deploy/web.yaml:19:18: note: [policy.latest-tag] container 'web' runs image"));
  CHECK(format_finding(f).ends_with(" (exempted: pinned by digest upstream)"));
  CHECK(summarize(report) == "no errors in 1 file (1 finding exempted by annotation)");
}

TEST_CASE("pushgate.dev/ignore takes several rules, by ';' or one per line", "[validators][policy]") {
  auto writable = [](std::string text) { return pushgate::test::without(text, "readOnlyRootFilesystem"); };
  SECTION("separated by ';'") {
    Report report = check(writable(annotated("\"policy.latest-tag: upstream;policy.writable-root-fs: writes /tmp\"")));
    CHECK(only(report, "policy.latest-tag").exemption == "upstream");
    CHECK(only(report, "policy.writable-root-fs").exemption == "writes /tmp");
    CHECK(report.notes == 2);
    CHECK(report.errors + report.warnings == 0);
  }
  SECTION("one per line in a block scalar") {
    Report report = check(writable(annotated("|\n      policy.latest-tag: upstream\n      policy.writable-root-fs: /tmp\n")));
    CHECK(report.notes == 2);
    CHECK(report.errors + report.warnings == 0);
  }
}

TEST_CASE("an exemption needs a reason and a policy rule, or it exempts nothing", "[validators][policy]") {
  SECTION("no reason: a policy.ignore error at the annotation, and the finding stands") {
    for (const char* value : {"policy.latest-tag", "\"policy.latest-tag:  \""}) {
      INFO(value);
      Report report = check(annotated(value));
      Finding ignore = only(report, "policy.ignore");
      CHECK(ignore.severity == Severity::error);
      CHECK(ignore.where.line == 6);
      CHECK(ignore.message.find("exempts policy.latest-tag without a reason") != std::string::npos);
      CHECK(only(report, "policy.latest-tag").severity == Severity::error);
      CHECK(report.notes == 0);
    }
  }
  SECTION("a rule that is not a policy rule, or policy.ignore itself") {
    for (const char* value : {"\"k8s.schema: trust me\"", "\"policy.latest: typo\"", "\"policy.ignore: no\""}) {
      INFO(value);
      Finding f = only(check(annotated(value, "nginx:1.25")), "policy.ignore");
      CHECK(f.message.find("which is no policy rule that can be exempted; these can: policy.capabilities") !=
            std::string::npos);
    }
  }
}

TEST_CASE("an exemption covers its own object only", "[validators][policy]") {
  SECTION("the next document of the file is not exempted") {
    Report report = check(annotated("\"policy.latest-tag: upstream\"") + "---\n" + clean_deployment("", "", "redis"));
    auto found = with_rule(report, "policy.latest-tag");
    REQUIRE(found.size() == 2);
    CHECK(found[0].severity == Severity::note);
    CHECK(found[1].severity == Severity::error);
  }
  SECTION("items of a List, each with its own annotations") {
    std::string text =
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n"
        "    annotations: {pushgate.dev/ignore: \"policy.latest-tag: vendor image\"}\n"
        "  spec: {containers: [{name: a, image: busybox}]}\n"
        "- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n  spec: {containers: [{name: b, image: busybox}]}\n";
    auto found = with_rule(check(text), "policy.latest-tag");
    REQUIRE(found.size() == 2);
    CHECK(found[0].severity == Severity::note);
    CHECK(found[0].where.line == 9);
    CHECK(found[1].severity == Severity::error);
  }
  SECTION("a rule turned off in validate.rules leaves nothing to note") {
    ValidateSettings settings;
    settings.rules["policy.latest-tag"] = RuleSetting::off;
    Report report = check(annotated("\"policy.latest-tag: upstream\""), settings);
    CHECK(with_rule(report, "policy.latest-tag").empty());
    CHECK(report.notes == 0);
  }
}
