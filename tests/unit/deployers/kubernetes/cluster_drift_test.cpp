#include "deployers/kubernetes/cluster_drift.hpp"

#include <catch2/catch.hpp>

using namespace pushgate;
using namespace pushgate::kubernetes;

TEST_CASE("cluster drift: kubectl diff's objects, missing or changed") {
  Drift drift;
  read_kubectl_diff(R"(diff -u -N /tmp/LIVE-1/apps.v1.Deployment.shop.web /tmp/MERGED-2/apps.v1.Deployment.shop.web
--- /tmp/LIVE-1/apps.v1.Deployment.shop.web	2026-12-07 16:00:00
+++ /tmp/MERGED-2/apps.v1.Deployment.shop.web	2026-12-07 16:00:00
@@ -6,7 +6,7 @@
-  replicas: 5
+  replicas: 2
@@ -20,1 +20,1 @@
-a
+b
diff -u -N /tmp/LIVE-1/v1.ConfigMap.shop.settings.v2 /tmp/MERGED-2/v1.ConfigMap.shop.settings.v2
--- /tmp/LIVE-1/v1.ConfigMap.shop.settings.v2	2026-12-07 16:00:00
+++ /tmp/MERGED-2/v1.ConfigMap.shop.settings.v2	2026-12-07 16:00:00
@@ -0,0 +1,9 @@
+apiVersion: v1
diff -u -N /tmp/LIVE-1/apiextensions.k8s.io.v1.CustomResourceDefinition..widgets.example.com /tmp/MERGED-2/apiextensions.k8s.io.v1.CustomResourceDefinition..widgets.example.com
@@ -1,1 +1,1 @@
)",
                    drift);
  CHECK(drift.changed == 2);
  CHECK(drift.removed == 1);
  CHECK(drift.paths == std::vector<std::string>{"~Deployment/shop/web", "-ConfigMap/shop/settings.v2",
                                                "~CustomResourceDefinition/widgets.example.com"});
  CHECK(drift.drifted());
}

TEST_CASE("cluster drift: what a dry-run prune would remove was added by someone") {
  Drift drift;
  read_dry_run_prune("configmap/settings serverside-applied (server dry run)\n"
                     "configmap/extra pruned (server dry run)\n",
                     drift);
  CHECK(drift.added == 1);
  CHECK(drift.paths == std::vector<std::string>{"+configmap/extra"});
  Drift none;
  read_kubectl_diff("", none);
  read_dry_run_prune("deployment.apps/web serverside-applied (server dry run)\n", none);
  CHECK_FALSE(none.drifted());
}
