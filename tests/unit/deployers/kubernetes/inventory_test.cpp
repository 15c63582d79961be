#include "deployers/kubernetes/inventory.hpp"

#include <catch2/catch.hpp>

using namespace pushgate;
using namespace pushgate::kubernetes;
using nlohmann::json;

namespace {

// The parent as `kubectl annotate` with `args` leaves it.
json annotated(const std::vector<std::string>& args) {
  json annotations = json::object();
  for (const auto& a : args) {
    auto eq = a.find('=');
    annotations[a.substr(0, eq)] = a.substr(eq + 1);
  }
  return {{"metadata", {{"name", "pushgate-prod"}, {"annotations", annotations}}}};
}

}  // namespace

TEST_CASE("inventory: the parent's name is a DNS label for any environment name") {
  CHECK(inventory_name("production") == "pushgate-production");
  CHECK(inventory_name("Stage_2.eu") == "pushgate-stage-2-eu");
}

TEST_CASE("inventory: the live release and the ones before it, round trip through the annotations") {
  CHECK(recorded_releases(json::object()).empty());
  CHECK(recorded_releases(json{{"metadata", {{"name", "pushgate-prod"}}}}).empty());

  std::vector<LiveRelease> history;
  for (int i = 1; i <= 4; ++i) {
    LiveRelease next{"r" + std::to_string(i), "c" + std::to_string(i)};
    history = recorded_releases(annotated(record_arguments(next, history, 3)));
  }
  REQUIRE(history.size() == 3);  // keep 3: the live one and two before it
  CHECK(history[0].release == "r4");
  CHECK(history[0].commit == "c4");
  CHECK(history[1].release == "r3");
  CHECK(history[2].release == "r2");

  SECTION("making a kept release live again does not list it twice") {
    auto again = recorded_releases(annotated(record_arguments(history[1], history, 3)));
    REQUIRE(again.size() == 3);
    CHECK(again[0].release == "r3");
    CHECK(again[1].release == "r4");
    CHECK(again[2].release == "r2");
  }
}
