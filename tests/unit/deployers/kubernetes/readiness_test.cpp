#include "deployers/kubernetes/readiness.hpp"

#include <catch2/catch.hpp>

using namespace pushgate::kubernetes;
using nlohmann::json;

namespace {

json deployment(int want, json status, int generation = 2) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", "web"}, {"generation", generation}}},
          {"spec", {{"replicas", want}}},
          {"status", status}};
}

}  // namespace

TEST_CASE("readiness: a Deployment is ready once every replica is updated and available") {
  json done = {{"observedGeneration", 2}, {"replicas", 3}, {"updatedReplicas", 3}, {"availableReplicas", 3}};
  CHECK(readiness_of(deployment(3, done)).state == Readiness::State::ready);

  SECTION("a status of an older generation says nothing yet") {
    auto r = readiness_of(deployment(3, done, 3));
    CHECK(r.state == Readiness::State::waiting);
    CHECK_THAT(r.reason, Catch::Contains("generation 3"));
  }
  SECTION("replicas not yet updated, old ones still running, or not yet available") {
    json s = done;
    s["updatedReplicas"] = 1;
    CHECK(readiness_of(deployment(3, s)).reason == "1 of 3 replicas updated");
    s = done;
    s["replicas"] = 4;
    CHECK(readiness_of(deployment(3, s)).reason == "1 old replicas are still running");
    s = done;
    s["availableReplicas"] = 0;
    CHECK(readiness_of(deployment(3, s)).reason == "0 of 3 updated replicas available");
  }
  SECTION("a rollout past its progress deadline will not become ready") {
    json s = done;
    s["availableReplicas"] = 0;
    s["conditions"] = json::array({{{"type", "Progressing"}, {"status", "False"},
                                    {"message", "ReplicaSet \"web-1\" has timed out progressing."}}});
    auto r = readiness_of(deployment(3, s));
    CHECK(r.state == Readiness::State::failed);
    CHECK_THAT(r.reason, Catch::Contains("timed out progressing"));
  }
  SECTION("spec.replicas defaults to 1") {
    json d = deployment(1, {{"observedGeneration", 2}});
    d["spec"].erase("replicas");
    CHECK(readiness_of(d).reason == "0 of 1 replicas updated");
  }
}

TEST_CASE("readiness: StatefulSets, DaemonSets and Jobs as kubectl rollout status judges them") {
  json sts = {{"apiVersion", "apps/v1"}, {"kind", "StatefulSet"}, {"metadata", {{"name", "db"}, {"generation", 1}}},
              {"spec", {{"replicas", 2}}},
              {"status", {{"observedGeneration", 1}, {"readyReplicas", 2}, {"updatedReplicas", 2},
                          {"currentRevision", "db-1"}, {"updateRevision", "db-2"}}}};
  CHECK(readiness_of(sts).reason == "the update to the new revision has not finished");
  sts["status"]["currentRevision"] = "db-2";
  CHECK(readiness_of(sts).state == Readiness::State::ready);

  json ds = {{"apiVersion", "apps/v1"}, {"kind", "DaemonSet"}, {"metadata", {{"name", "agent"}, {"generation", 1}}},
             {"status", {{"observedGeneration", 1}, {"desiredNumberScheduled", 3}, {"updatedNumberScheduled", 3},
                         {"numberAvailable", 2}}}};
  CHECK(readiness_of(ds).reason == "2 of 3 nodes available");

  json job = {{"apiVersion", "batch/v1"}, {"kind", "Job"}, {"metadata", {{"name", "migrate"}}},
              {"status", {{"active", 1}}}};
  CHECK(readiness_of(job).reason == "not complete (1 active, 0 succeeded)");
  job["status"]["conditions"] = json::array({{{"type", "Failed"}, {"status", "True"}, {"message", "BackoffLimitExceeded"}}});
  CHECK(readiness_of(job).state == Readiness::State::failed);
  job["status"]["conditions"] = json::array({{{"type", "Complete"}, {"status", "True"}}});
  CHECK(readiness_of(job).state == Readiness::State::ready);
}

TEST_CASE("readiness: other kinds are ready once they exist") {
  json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "settings"}}}};
  CHECK(readiness_of(cm).state == Readiness::State::ready);
  json custom = {{"apiVersion", "example.com/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "x"}}}};
  CHECK(readiness_of(custom).state == Readiness::State::ready);
}
