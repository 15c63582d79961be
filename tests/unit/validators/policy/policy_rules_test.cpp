#include "validators/policy/policy_rules.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/validators/policy/policy_test_support.hpp"
#include "validators/policy/policy_catalog.hpp"
#include "validators/rule_catalog.hpp"

using namespace pushgate;
using pushgate::test::clean_deployment;
using pushgate::test::describe;
using pushgate::test::only;
using pushgate::test::policy_findings;
using pushgate::test::validate_text;
using pushgate::test::with_rule;
using pushgate::test::without;

namespace {

Report check(const std::string& text) { return validate_text("deploy/web.yaml", text); }

bool mentions(const Finding& f, std::string_view text) { return f.message.find(text) != std::string::npos; }

}  // namespace

TEST_CASE("a workload that follows every policy rule has no policy finding", "[validators][policy]") {
  Report report = check(clean_deployment());
  INFO(describe(report));
  CHECK(report.findings.empty());
}

TEST_CASE("policy.latest-tag: an image without a tag or with :latest", "[validators][policy]") {
  SECTION("no tag, at the image's line and column") {
    Finding f = only(check(clean_deployment("", "", "nginx")), "policy.latest-tag");
    CHECK(f.severity == Severity::error);
    CHECK(f.where.line == 17);
    CHECK(f.where.column == 18);
    CHECK(mentions(f, "container 'web' runs image 'nginx' without a tag"));
    CHECK(mentions(f, "pin a version tag or a digest"));
  }
  SECTION(":latest, and a registry port that is no tag") {
    CHECK(mentions(only(check(clean_deployment("", "", "nginx:latest")), "policy.latest-tag"), ":latest moves"));
    only(check(clean_deployment("", "", "registry.local:5000/team/nginx")), "policy.latest-tag");
  }
  SECTION("near misses: a version tag, a registry port with a tag, a digest") {
    for (const char* image : {"nginx:1.25", "registry.local:5000/team/nginx:1.2", "nginx:latest-alpine",
                              "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                              "nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}) {
      INFO(image);
      CHECK(with_rule(check(clean_deployment("", "", image)), "policy.latest-tag").empty());
    }
  }
}

TEST_CASE("policy.resources: CPU and memory requests and limits", "[validators][policy]") {
  SECTION("none: one finding at the container, naming all four") {
    std::string text = without(without(without(clean_deployment(), "resources:"), "requests:"), "limits:");
    Finding f = only(check(text), "policy.resources");
    CHECK(f.severity == Severity::warning);
    CHECK(f.where.line == 16);
    CHECK(mentions(f, "sets no requests.cpu, limits.cpu, requests.memory, limits.memory"));
  }
  SECTION("requests without limits: at resources, naming the limits") {
    Finding f = only(check(without(clean_deployment(), "limits:")), "policy.resources");
    CHECK(f.where.line == 19);  // a mapping is placed at its first key
    CHECK(mentions(f, "sets no limits.cpu, limits.memory:"));
  }
  SECTION("near miss: limits alone also set the requests") {
    CHECK(with_rule(check(without(clean_deployment(), "requests:")), "policy.resources").empty());
  }
}

TEST_CASE("policy.privileged, privilege-escalation, capabilities, writable-root-fs", "[validators][policy]") {
  SECTION("privileged: true, at the field") {
    Finding f = only(check(clean_deployment("", "            privileged: true\n")), "policy.privileged");
    CHECK(f.severity == Severity::error);
    CHECK(f.where.line == 24);
    CHECK(with_rule(check(clean_deployment("", "            privileged: false\n")), "policy.privileged").empty());
  }
  SECTION("allowPrivilegeEscalation unset (at the securityContext) or true (at the field)") {
    Finding unset = only(check(without(clean_deployment(), "allowPrivilegeEscalation")), "policy.privilege-escalation");
    CHECK(unset.where.line == 22);
    std::string yes = clean_deployment();
    yes.replace(yes.find("allowPrivilegeEscalation: false"), 31, "allowPrivilegeEscalation: yes");
    CHECK(only(check(yes), "policy.privilege-escalation").where.line == 22);
  }
  SECTION("added capabilities outside the baseline, however spelt; dropped ones and baseline ones are fine") {
    Report report = check(clean_deployment(
        "", "            capabilities:\n              add: [NET_BIND_SERVICE, cap_sys_admin, NET_RAW, ALL]\n"
            "              drop: [ALL]\n"));
    auto found = with_rule(report, "policy.capabilities");
    REQUIRE(found.size() == 3);
    CHECK(mentions(found[0], "adds capability SYS_ADMIN"));
    CHECK(mentions(found[1], "adds capability NET_RAW"));
    CHECK(mentions(found[2], "adds capability ALL"));
    CHECK(found[0].where.line == 25);
  }
  SECTION("readOnlyRootFilesystem unset or false") {
    only(check(without(clean_deployment(), "readOnlyRootFilesystem")), "policy.writable-root-fs");
    std::string no = clean_deployment();
    no.replace(no.find("readOnlyRootFilesystem: true"), 28, "readOnlyRootFilesystem: false");
    CHECK(only(check(no), "policy.writable-root-fs").where.line == 23);
  }
}

TEST_CASE("policy.run-as-root: runAsNonRoot and runAsUser at pod and container level", "[validators][policy]") {
  SECTION("unset at both levels: at the container's securityContext") {
    Finding f = only(check(without(clean_deployment(), "runAsNonRoot")), "policy.run-as-root");
    CHECK(f.severity == Severity::warning);
    CHECK(f.where.line == 21);
    CHECK(mentions(f, "may run as root"));
  }
  SECTION("near misses: runAsUser above 0 in the container, or runAsNonRoot in the container alone") {
    CHECK(with_rule(check(without(clean_deployment("", "            runAsUser: 1000\n"), "runAsNonRoot")),
                    "policy.run-as-root")
              .empty());
    std::string container_only = clean_deployment("", "            runAsNonRoot: true\n");
    container_only.replace(container_only.find("runAsNonRoot: true"), 18, "fsGroup: 1000");
    CHECK(with_rule(check(container_only), "policy.run-as-root").empty());
  }
  SECTION("runAsUser: 0 for the pod: once, at the pod's field, for two containers") {
    std::string text = clean_deployment("        runAsUser: 0\n");
    text += "        - name: sidecar\n          image: busybox:1.36\n";
    Report report = check(text);
    auto found = with_rule(report, "policy.run-as-root");
    REQUIRE(found.size() == 1);
    CHECK(found[0].where.line == 15);
    CHECK(mentions(found[0], "runAsUser: 0"));
  }
  SECTION("a container's runAsNonRoot: false overrides the pod's true") {
    Finding f = only(check(clean_deployment("", "            runAsNonRoot: false\n")), "policy.run-as-root");
    CHECK(f.where.line == 24);
  }
}

TEST_CASE("policy.host-namespaces, host-path and sensitive-host-path", "[validators][policy]") {
  SECTION("hostNetwork, hostPID, hostIPC: true, each at its field") {
    Report report = check(clean_deployment("      hostNetwork: true\n      hostPID: true\n      hostIPC: false\n"));
    auto found = with_rule(report, "policy.host-namespaces");
    REQUIRE(found.size() == 2);
    CHECK(found[0].where.line == 15);
    CHECK(mentions(found[0], "hostNetwork: true"));
    CHECK(found[1].where.line == 16);
  }
  SECTION("hostPath: an error for the node's sensitive paths, a warning for others") {
    Report report = check(clean_deployment(
        "      volumes:\n"
        "        - {name: docker, hostPath: {path: /var/run/docker.sock}}\n"
        "        - {name: etc, hostPath: {path: /etc/}}\n"
        "        - {name: certs, hostPath: {path: /etc/ssl/certs}}\n"
        "        - {name: data, emptyDir: {}}\n"));
    auto sensitive = with_rule(report, "policy.sensitive-host-path");
    REQUIRE(sensitive.size() == 2);
    CHECK(sensitive[0].severity == Severity::error);
    CHECK(mentions(sensitive[0], "volume 'docker' mounts '/var/run/docker.sock'"));
    CHECK(sensitive[0].where.line == 16);
    Finding other = only(report, "policy.host-path");
    CHECK(other.severity == Severity::warning);
    CHECK(mentions(other, "'/etc/ssl/certs'"));
  }
}

TEST_CASE("policy.probes, default-service-account and duplicate-env", "[validators][policy]") {
  SECTION("no probes, or only one, at the container") {
    Finding none = only(check(without(without(clean_deployment(), "readinessProbe"), "livenessProbe")), "policy.probes");
    CHECK(none.where.line == 16);
    CHECK(mentions(none, "has no readinessProbe or livenessProbe"));
    CHECK(mentions(only(check(without(clean_deployment(), "livenessProbe")), "policy.probes"), "has no livenessProbe"));
  }
  SECTION("the default service account, unset or named; near miss: automountServiceAccountToken: false") {
    Finding unset = only(check(without(clean_deployment(), "serviceAccountName")), "policy.default-service-account");
    CHECK(unset.where.line == 12);
    std::string named = clean_deployment();
    named.replace(named.find("serviceAccountName: web"), 23, "serviceAccountName: default");
    CHECK(only(check(named), "policy.default-service-account").where.line == 12);
    CHECK(with_rule(check(without(clean_deployment("      automountServiceAccountToken: false\n"),
                                  "serviceAccountName")),
                    "policy.default-service-account")
              .empty());
  }
  SECTION("the same variable twice: at the second, naming the first") {
    Report report = check(clean_deployment(
        "", "          env:\n            - {name: MODE, value: a}\n            - {name: OTHER, value: b}\n"
            "            - {name: MODE, value: c}\n"));
    Finding f = only(report, "policy.duplicate-env");
    CHECK(f.severity == Severity::error);
    CHECK(f.where.line == 27);
    CHECK(mentions(f, "'MODE' twice (first on line 25)"));
    REQUIRE(f.related.size() == 1);
    CHECK(f.related[0].line == 25);
  }
}

TEST_CASE("policy rules apply to every workload kind through its pod template", "[validators][policy]") {
  const std::string pod_spec =
      "      containers:\n"
      "        - name: app\n"
      "          image: busybox\n";
  // `text` with `extra` more spaces of indent, or fewer when negative.
  auto indent = [](const std::string& text, int extra) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start) + 1;
      std::string line = text.substr(start, end - start);
      out += extra >= 0 ? std::string(static_cast<std::size_t>(extra), ' ') + line
                        : line.substr(static_cast<std::size_t>(-extra));
      start = end;
    }
    return out;
  };
  auto template_kind = [&](const std::string& api, const std::string& kind) {
    return "apiVersion: " + api + "\nkind: " + kind + "\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n" + pod_spec;
  };
  std::vector<std::pair<std::string, std::string>> workloads = {
      {"Pod", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n" + indent(pod_spec, -4)},
      {"Deployment", template_kind("apps/v1", "Deployment")},
      {"StatefulSet", template_kind("apps/v1", "StatefulSet")},
      {"DaemonSet", template_kind("apps/v1", "DaemonSet")},
      {"ReplicaSet", template_kind("apps/v1", "ReplicaSet")},
      {"ReplicationController", template_kind("v1", "ReplicationController")},
      {"Job", template_kind("batch/v1", "Job")},
      {"CronJob", "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\nspec:\n  jobTemplate:\n    spec:\n"
                  "      template:\n        spec:\n" + indent(pod_spec, 4)},
      {"List item", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: x}\n"
                    "  spec:\n" + indent(pod_spec, -2)},
  };
  for (const auto& [name, text] : workloads) {
    INFO(name << ":\n" << text);
    Report report = check(text);
    Finding latest = only(report, "policy.latest-tag");
    CHECK(latest.where.line > 0);
    if (name == "List item") CHECK(latest.message.starts_with("items[0]: container 'app'"));
    // Jobs end by design: no probes asked of them.
    CHECK(with_rule(report, "policy.probes").size() == (name == "Job" || name == "CronJob" ? 0u : 1u));
  }
  SECTION("initContainers and ephemeralContainers too, without probes; ephemeral ones without resources") {
    std::string text = "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: []\n"
                       "  initContainers:\n    - {name: init, image: busybox}\n"
                       "  ephemeralContainers:\n    - {name: debug, image: busybox}\n";
    Report report = check(text);
    CHECK(with_rule(report, "policy.latest-tag").size() == 2);
    CHECK(with_rule(report, "policy.probes").empty());
    auto resources = with_rule(report, "policy.resources");
    REQUIRE(resources.size() == 1);
    CHECK(mentions(resources[0], "container 'init'"));
  }
  SECTION("near misses: a custom resource named Deployment, a ConfigMap, a Service") {
    std::string text = template_kind("example.com/v1", "Deployment") +
                       "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {image: nginx}\n";
    CHECK(policy_findings(check(text)).empty());
  }
}

TEST_CASE("the policy catalogue: sorted, every id a policy.* rule that validate.rules accepts", "[validators][policy]") {
  auto rules = policy_rules();
  REQUIRE(rules.size() >= 17);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    INFO(rules[i].id);
    CHECK(rules[i].id.starts_with("policy."));
    CHECK_FALSE(rules[i].finds.empty());
    if (i > 0) CHECK(rules[i - 1].id < rules[i].id);
    CHECK(std::binary_search(rule_ids().begin(), rule_ids().end(), rules[i].id));
    CHECK(find_policy_rule(rules[i].id) == &rules[i]);
  }
  CHECK(find_policy_rule("policy.nothing") == nullptr);
}
