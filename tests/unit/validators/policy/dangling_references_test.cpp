#include "validators/policy/dangling_references.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/validators/policy/policy_test_support.hpp"
#include "validators/tree/tree_index.hpp"

using namespace pushgate;
using pushgate::test::clean_deployment;
using pushgate::test::describe;
using pushgate::test::MemorySource;
using pushgate::test::only;
using pushgate::test::with_rule;

namespace {

const std::string k_service =
    "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector:\n    app: web\n  ports: [{port: 80}]\n";

Report run(const MemorySource& source, const std::vector<std::string>* changed = nullptr,
           const EngineOptions& options = {}) {
  return Engine(ValidateSettings{}).run(source, changed, options);
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

}  // namespace

TEST_CASE("policy.dangling-service: a Service whose selector matches no pod template", "[validators][policy]") {
  SECTION("matched by a Deployment's template in another file: clean") {
    MemorySource source;
    source.add("service.yaml", k_service);
    source.add("web.yaml", clean_deployment());
    Report report = run(source);
    INFO(describe(report));
    CHECK(with_rule(report, "policy.dangling-service").empty());
  }
  SECTION("no template carries app=web: at the selector") {
    MemorySource source;
    source.add("service.yaml", k_service);
    source.add("web.yaml", replaced(clean_deployment(), "labels: {app: web}", "labels: {app: api}"));
    Finding f = only(run(source), "policy.dangling-service");
    CHECK(f.severity == Severity::warning);
    CHECK(f.where.path == "service.yaml");
    CHECK(f.where.line == 6);
    CHECK(f.message.find("Service 'web' selects app=web, which no pod template of the tree in namespace 'default' "
                         "carries") != std::string::npos);
  }
  SECTION("near misses: the labels of the Deployment itself (not its pods) do not count; another namespace") {
    MemorySource source;
    source.add("service.yaml", k_service);
    std::string other = replaced(clean_deployment(), "labels: {app: web}", "labels: {app: api}");
    other = replaced(other, "  name: web\n", "  name: web\n  labels: {app: web}\n");
    source.add("web.yaml", other);
    source.add("prod.yaml", replaced(clean_deployment(), "  name: web\n", "  name: web\n  namespace: prod\n"));
    only(run(source), "policy.dangling-service");
  }
  SECTION("selectors sharing a label are each judged whole; one with no single required value still matches") {
    MemorySource source;
    source.add("service.yaml", k_service + "---\n" + replaced(k_service, "app: web", "app: web\n    tier: front") +
                                   "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: any}\n"
                                   "spec:\n  selector:\n    matchExpressions: [{key: app, operator: In, values: [api, web]}]\n");
    source.add("web.yaml", clean_deployment());
    Report report = run(source);
    INFO(describe(report));
    Finding f = only(report, "policy.dangling-service");
    CHECK(f.where.line == 14);
    CHECK(f.message.find("selects app=web, tier=front") != std::string::npos);
    CHECK(with_rule(report, "policy.dangling-pdb").empty());
  }
  SECTION("no selector, or type ExternalName: nothing to match") {
    MemorySource source;
    source.add("a.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n");
    source.add("b.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {type: ExternalName, "
                         "externalName: x.example.com, selector: {app: x}}\n");
    CHECK(with_rule(run(source), "policy.dangling-service").empty());
  }
  SECTION("a CronJob's pods and a bare Pod count") {
    MemorySource source;
    source.add("service.yaml", k_service + "---\n" + replaced(k_service, "app: web", "app: batch"));
    source.add("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\nspec: {containers: []}\n");
    source.add("cron.yaml", "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n"
                            "    spec:\n      template:\n        metadata: {labels: {app: batch}}\n"
                            "        spec: {containers: []}\n");
    Report report = run(source);
    INFO(describe(report));
    CHECK(with_rule(report, "policy.dangling-service").empty());
  }
}

TEST_CASE("policy.dangling-pdb, dangling-hpa and dangling-ingress", "[validators][policy]") {
  MemorySource source;
  source.add("web.yaml", clean_deployment());
  source.add("service.yaml", k_service);
  source.add("pdb.yaml",
             "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 1\n"
             "  selector:\n    matchLabels: {app: web}\n"
             "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: gone}\nspec:\n"
             "  selector:\n    matchExpressions: [{key: app, operator: In, values: [gone, old]}]\n");
  source.add("hpa.yaml",
             "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n"
             "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
             "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api}\nspec:\n"
             "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n");
  source.add("ingress.yaml",
             "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  rules:\n"
             "    - http:\n        paths:\n"
             "          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n"
             "          - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}\n"
             "          - {path: /v2, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}\n");
  Report report = run(source);
  INFO(describe(report));
  Finding pdb = only(report, "policy.dangling-pdb");
  CHECK(pdb.where.line == 14);
  CHECK(pdb.message == "PodDisruptionBudget 'gone' selects app in (gone, old), which no pod template of the tree in "
                       "namespace 'default' carries: fix the selector or the pods' labels (or exempt it, with the "
                       "reason, when its pods are deployed from elsewhere)");
  Finding hpa = only(report, "policy.dangling-hpa");
  CHECK(hpa.where.line == 11);
  CHECK(hpa.message == "HorizontalPodAutoscaler 'api' points at Deployment 'api', which is not in the tree in "
                       "namespace 'default': fix the name, or add the Deployment (or exempt it, with the reason, when "
                       "it is deployed from elsewhere)");
  Finding ingress = only(report, "policy.dangling-ingress");  // once, though named twice
  CHECK(ingress.where.line == 9);
  CHECK(ingress.message.find("Service 'api'") != std::string::npos);
}

TEST_CASE("dangling references: the rest of the tree through a saved index", "[validators][policy]") {
  MemorySource earlier;
  earlier.add("apps/web.yaml", clean_deployment());
  std::string saved = TreeIndex::serialize("fp", Engine(ValidateSettings{}).run(earlier, nullptr, {}).objects);
  TreeIndex rest = TreeIndex::parse(std::vector<char>(saved.begin(), saved.end()), "fp").value();
  EngineOptions options;
  options.rest = &rest;

  SECTION("a pushed Service selecting pods of an unchanged file: clean; selecting none: reported") {
    MemorySource pushed;
    pushed.add("service.yaml", k_service + "---\n" + replaced(k_service, "app: web", "app: nobody"));
    Finding f = only(run(pushed, nullptr, options), "policy.dangling-service");
    CHECK(f.where.line == 14);
  }
  SECTION("only changed files are checked; an unreadable file silences the check") {
    MemorySource pushed;
    pushed.add("service.yaml", replaced(k_service, "app: web", "app: nobody"));
    std::vector<std::string> none;
    CHECK(with_rule(run(pushed, &none, options), "policy.dangling-service").empty());
    Report report = Engine(ValidateSettings{}).run(pushed, nullptr, options);
    report.objects.mark_incomplete();
    std::vector<Finding> out;
    DanglingReferences().check(report.objects, out);
    CHECK(out.empty());
  }
}

TEST_CASE("an exemption covers a dangling reference like any policy finding", "[validators][policy]") {
  MemorySource source;
  source.add("service.yaml",
             replaced(k_service, "metadata: {name: web}",
                      "metadata:\n  name: web\n  annotations:\n    pushgate.dev/ignore: \"policy.dangling-service: "
                      "pods come from the vendor chart\"\n"));
  Finding f = only(run(source), "policy.dangling-service");
  CHECK(f.severity == Severity::note);
  CHECK(f.exemption == "pods come from the vendor chart");
}
