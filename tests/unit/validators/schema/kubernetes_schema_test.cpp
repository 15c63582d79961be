// The schema check against Kubernetes' own OpenAPI documents (1.36 and
// 1.30, in ../shared/k8s-openapi).

#include <catch2/catch.hpp>

#include <map>
#include <memory>

#include "tests/unit/validators/schema/schema_test_support.hpp"

using namespace pushgate;
using pushgate::schema::Lookup;
using pushgate::test::check_yaml;
using pushgate::test::only_finding;

namespace {

// The compiled document of Kubernetes `version`, compiled once per run; null
// (with a warning) when the shared data is absent.
const schema::SchemaSet* kubernetes(const std::string& version) {
  static std::map<std::string, std::unique_ptr<schema::SchemaSet>> sets;
  auto& set = sets[version];
  if (!set) {
    auto file = test::shared_file("k8s-openapi/swagger-v" + version + ".json");
    if (!file) return nullptr;
    set = std::make_unique<schema::SchemaSet>();
    set->add_openapi(test::read_file(*file), file->string());
  }
  return set.get();
}

constexpr const char* k_deployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        imagePullPolicy: IfNotPresent
        ports: [{containerPort: 80, name: http}]
        resources: {limits: {cpu: 500m, memory: 256Mi}, requests: {cpu: 0.1}}
        env: [{name: MODE, value: "production"}]
        readinessProbe: {httpGet: {path: /, port: http}}
)";

}  // namespace

TEST_CASE("Kubernetes 1.36: valid objects are accepted", "[schema]") {
  const schema::SchemaSet* k8s = kubernetes("1.36");
  if (k8s == nullptr) {
    WARN("skipped: swagger-v1.36.json is not in the shared folder (set PUSHGATE_SHARED_DIR)");
    return;
  }
  const char* valid[] = {
      k_deployment,
      "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: ClusterIP\n"
      "  selector: {app: web}\n  ports: [{port: 80, targetPort: http, protocol: TCP}]\n",
      "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: \"0 3 * * *\"\n"
      "  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n      backoffLimit: 2\n      template:\n"
      "        spec:\n          restartPolicy: OnFailure\n          containers: [{name: job, image: busybox, "
      "args: [sh, -c, date]}]\n",
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations: {a: b}\n"
      "spec:\n  ingressClassName: nginx\n  tls: [{hosts: [example.com], secretName: tls}]\n  rules:\n"
      "  - host: example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n"
      "        backend: {service: {name: web, port: {number: 80}}}\n",
      "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n"
      "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n"
      "  maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: "
      "Utilization, averageUtilization: 70}}\n",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: \"1\"}\n",
      // A CRD: JSONSchemaProps is recursive and has fields named $ref and x-kubernetes-*.
      "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: bs.example.com}\n"
      "spec:\n  group: example.com\n  names: {kind: B, plural: bs}\n  scope: Namespaced\n  versions:\n"
      "  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n"
      "        type: object\n        properties:\n          spec:\n            type: object\n"
      "            x-kubernetes-validations: [{rule: self.a > 0}]\n            properties:\n"
      "              a: {type: integer, minimum: 1, default: 1}\n              b: {x-kubernetes-int-or-string: true}\n"
      "              c: {type: array, items: {type: string}, x-kubernetes-list-type: set}\n",
      "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\ndata: {password: cGFzcw==}\n"
      "stringData: {user: admin}\n",
  };
  for (const char* text : valid) {
    auto checked = check_yaml(*k8s, text);
    INFO(text << checked.describe());
    CHECK(checked.lookup == Lookup::checked);
    CHECK(checked.findings.empty());
  }
}

TEST_CASE("Kubernetes 1.36: each class of error at its line:col", "[schema]") {
  const schema::SchemaSet* k8s = kubernetes("1.36");
  if (k8s == nullptr) {
    WARN("skipped: swagger-v1.36.json is not in the shared folder (set PUSHGATE_SHARED_DIR)");
    return;
  }
  std::string deployment = k_deployment;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = deployment;
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  SECTION("wrong type") {
    Finding f = only_finding(check_yaml(*k8s, with("replicas: 3", "replicas: \"two\"")));
    CHECK(format_finding(f) == "w.yaml:7:13: error: [k8s.schema] spec.replicas: expected integer, got string \"two\"");
  }
  SECTION("unknown field") {
    Finding f = only_finding(check_yaml(*k8s, with("imagePullPolicy:", "imagePullPolcy:")));
    CHECK(format_finding(f) == "w.yaml:17:9: error: [k8s.schema] spec.template.spec.containers[0].imagePullPolcy: "
                               "unknown field (did you mean imagePullPolicy?)");
  }
  SECTION("missing required") {
    Finding f = only_finding(check_yaml(*k8s, with("      - name: web\n        image", "      - image")));
    CHECK(f.message == "spec.template.spec.containers[0]: missing required field \"name\"");
    CHECK(f.where.line == 15);
    CHECK(f.where.column == 9);
  }
  SECTION("bad enum (1.36 declares them in OpenAPI v2 only in descriptions; pathType is a free string)") {
    // The v2 document lists no enums, so a bad imagePullPolicy passes the schema:
    // what 1.36's swagger can catch is the type.
    CHECK(check_yaml(*k8s, with("IfNotPresent", "Sometimes")).findings.empty());
  }
  SECTION("bad quantity") {
    Finding f = only_finding(check_yaml(*k8s, with("memory: 256Mi", "memory: 256 MB")));
    CHECK(f.message == "spec.template.spec.containers[0].resources.limits.memory: invalid quantity \"256 MB\" "
                       "(a number with an optional suffix such as 500m, 2, 1.5Gi)");
    CHECK(f.where.line == 19);
  }
  SECTION("bad int-or-string") {
    Finding f = only_finding(check_yaml(*k8s, with("maxUnavailable: 1", "maxUnavailable: 1.5")));
    CHECK(f.message == "spec.strategy.rollingUpdate.maxUnavailable: expected integer or string, got number 1.5");
    CHECK(f.where.line == 10);
  }
  SECTION("an env value must be a string") {
    CHECK(only_finding(check_yaml(*k8s, with("\"production\"", "8080"))).message ==
          "spec.template.spec.containers[0].env[0].value: expected string, got integer 8080");
  }
  SECTION("containers: {}") {
    CHECK(only_finding(check_yaml(*k8s, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: {}}\n"))
              .message == "spec.containers: expected array, got object");
  }
  SECTION("duplicate container names") {
    auto text = with("      containers:\n", "      containers:\n      - {name: web, image: x}\n");
    CHECK(only_finding(check_yaml(*k8s, text)).message == "spec.template.spec.containers[1]: duplicate entry with name=\"web\"");
  }
}

TEST_CASE("Kubernetes 1.36 knows an apiVersion that 1.30 lacks", "[schema]") {
  const schema::SchemaSet* now = kubernetes("1.36");
  const schema::SchemaSet* old = kubernetes("1.30");
  if (now == nullptr || old == nullptr) {
    WARN("skipped: swagger-v1.36.json or swagger-v1.30.json is not in the shared folder");
    return;
  }
  // resource.k8s.io/v1 (dynamic resource allocation) went GA in 1.34.
  std::string claim = "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: gpu}\n"
                      "spec: {devices: {requests: [{name: gpu, exactly: {deviceClassName: gpu.example.com}}]}}\n";
  auto checked = check_yaml(*now, claim);
  INFO(checked.describe());
  CHECK(checked.lookup == Lookup::checked);
  CHECK(checked.findings.empty());
  CHECK(check_yaml(*old, claim).lookup == Lookup::unknown_api_version);
  CHECK(now->knows_api_version("resource.k8s.io/v1"));
  CHECK(!old->knows_api_version("resource.k8s.io/v1"));
  // And the other way: flowcontrol v1beta3 is gone in 1.36; autoscaling/v2beta2
  // is in neither, though both name it for meta/v1's DeleteOptions.
  CHECK(old->knows_api_version("flowcontrol.apiserver.k8s.io/v1beta3"));
  CHECK(!now->knows_api_version("flowcontrol.apiserver.k8s.io/v1beta3"));
  CHECK(!old->knows_api_version("autoscaling/v2beta2"));
  CHECK(check_yaml(*now, "apiVersion: apps/v1\nkind: Gadget\n").lookup == Lookup::unknown_kind);
  // What a message about extensions/v1beta1 can suggest.
  CHECK(now->api_versions_of("Deployment") == std::vector<std::string_view>{"apps/v1"});
  CHECK(old->api_versions_of("HorizontalPodAutoscaler") ==
        std::vector<std::string_view>{"autoscaling/v1", "autoscaling/v2"});
}
