#include "deployers/kubernetes/manifest_objects.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using namespace pushgate::kubernetes;
using nlohmann::json;

TEST_CASE("manifest objects: kubectl's stream of JSON objects, one after another") {
  auto objects = parse_object_stream(R"({
    "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}
}
{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "widgets.example.com"}}
{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}}
)");
  REQUIRE(objects);
  REQUIRE(objects->size() == 3);
  CHECK(applied_first((*objects)[0]));
  CHECK(applied_first((*objects)[1]));
  CHECK_FALSE(applied_first((*objects)[2]));
  CHECK(describe_object((*objects)[2]) == "Deployment shop/web");
  CHECK(kubectl_name((*objects)[2]) == "deployment.apps/web");
  CHECK(kubectl_name((*objects)[0]) == "namespace/shop");
  CHECK(kubectl_name((*objects)[1]) == "customresourcedefinition.apiextensions.k8s.io/widgets.example.com");

  SECTION("nothing is no objects") { CHECK(parse_object_stream("\n")->empty()); }
  SECTION("an object without a name, or output that is not JSON, is an error") {
    auto unnamed = parse_object_stream(R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})");
    REQUIRE_FALSE(unnamed);
    CHECK_THAT(unnamed.error().message, Catch::Contains("object 1"));
    CHECK_FALSE(parse_object_stream("{\"apiVersion\": "));
  }
}

TEST_CASE("manifest objects: written as one v1 List") {
  test::TempDir dir;
  std::vector<json> objects = {{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "a"}}}}};
  REQUIRE(write_object_list(objects, dir.path() / "list.json"));
  json list = json::parse(test::slurp(dir.path() / "list.json"));
  CHECK(list["kind"] == "List");
  CHECK(list["items"] == json(objects));
  CHECK_FALSE(write_object_list(objects, dir.path() / "missing" / "list.json"));
}
