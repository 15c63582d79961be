#include "core/config/kubernetes_deployer_config.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/support/repo_config_errors.hpp"

using namespace pushgate;
using pushgate::test::rejected;
using namespace std::chrono_literals;

TEST_CASE("kubernetes deployer: reads the cluster, context, namespace, kubectl and timeout") {
  auto c = parse_repo_config(R"yaml(environments:
  production:
    branch: main
    path: deploy/prod
    deployer:
      type: kubernetes
      kubeconfig: /etc/pushgate/kube/prod.yaml
      context: prod-admin
      namespace: web
      kubectl: /usr/local/bin/kubectl
      timeout: 2m
)yaml",
                             "pushgate.yaml");
  REQUIRE(c);
  const DeployerSettings& d = c->environments.at(0).deployer;
  CHECK(d.type == DeployerType::kubernetes);
  CHECK(d.kubernetes.kubeconfig == "/etc/pushgate/kube/prod.yaml");
  CHECK(d.kubernetes.context == "prod-admin");
  CHECK(d.kubernetes.namespace_name == "web");
  CHECK(d.kubernetes.kubectl == "/usr/local/bin/kubectl");
  CHECK(d.timeout == 2min);

  SECTION("context, namespace and kubectl have defaults") {
    auto m = parse_repo_config(
        "environments:\n  dev: {branch: dev, deployer: {type: kubernetes, kubeconfig: /etc/kube.yaml}}\n",
        "pushgate.yaml");
    REQUIRE(m);
    const KubernetesDeployerSettings& k = m->environments.at(0).deployer.kubernetes;
    CHECK(k.context.empty());
    CHECK(k.namespace_name == "default");
    CHECK(k.kubectl == "kubectl");
  }
}

TEST_CASE("kubernetes deployer: mistakes are reported at their line and column") {
  SECTION("a kubeconfig is required and absolute") {
    auto m = rejected(R"yaml(environments:
  a: {branch: main, deployer: {type: kubernetes}}
  b: {branch: main, deployer: {type: kubernetes, kubeconfig: kube.yaml}}
)yaml");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:2:31: error: [config] environments.a.deployer needs kubeconfig:"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:3:62: error: [config] environments.b.deployer.kubeconfig must be "
                                  "an absolute path"));
  }
  SECTION("namespace and context must be names kubectl takes as such") {
    auto m = rejected(R"yaml(environments:
  a:
    branch: main
    deployer: {type: kubernetes, kubeconfig: /k, namespace: Web_1, context: --all}
)yaml");
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:4:61: error: [config] environments.a.deployer.namespace 'Web_1' "
                                  "is not a namespace name"));
    CHECK_THAT(m, Catch::Contains("environments.a.deployer.context '--all' is not a context name"));
  }
  SECTION("keys of other deployers, and health, are refused") {
    auto m = rejected(R"yaml(environments:
  a:
    branch: main
    deployer: {type: kubernetes, kubeconfig: /k, dir: /srv/x}
    health: {command: ["true"]}
)yaml");
    CHECK_THAT(m, Catch::Contains("'dir'"));
    CHECK_THAT(m, Catch::Contains("pushgate.yaml:5:13: error: [config] environments.a.health: a kubernetes "
                                  "deployer waits until the applied objects are ready"));
  }
}
