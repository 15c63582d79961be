#include "validators/k8s/object_index.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/validators/test_support.hpp"

using namespace pushgate;

namespace {

std::vector<ObjectRef> objects_in(const std::string& text) {
  yaml::LoadResult loaded = yaml::load(text, {});
  REQUIRE(loaded.complete);
  std::vector<ObjectRef> all;
  for (const auto& doc : loaded.documents)
    for (auto& o : objects_of(doc)) all.push_back(o);
  return all;
}

}  // namespace

TEST_CASE("objects_of finds object identities", "[validators][index]") {
  SECTION("group, kind, namespace, name and the name's position") {
    auto objects = objects_in("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  namespace: prod\n  name: web\n"
                              "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n");
    REQUIRE(objects.size() == 2);
    CHECK(objects[0].group == "apps");
    CHECK(objects[0].kind == "Deployment");
    CHECK(objects[0].namespace_ == "prod");
    CHECK(objects[0].name == "web");
    CHECK(objects[0].line == 5);
    CHECK(objects[0].column == 9);
    CHECK(objects[1].group == "");
    CHECK(objects[1].namespace_ == "");
    CHECK(objects[1].line == 9);
  }
  SECTION("List items, each at its own place") {
    auto objects = objects_in("apiVersion: v1\nkind: List\nitems:\n"
                              "- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n"
                              "- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n");
    REQUIRE(objects.size() == 2);
    CHECK(objects[0].name == "a");
    CHECK(objects[0].line == 4);
    CHECK(objects[1].name == "b");
    CHECK(objects[1].line == 5);
  }
  SECTION("no name (generateName) or no kind: no identity") {
    CHECK(objects_in("apiVersion: v1\nkind: Pod\nmetadata: {generateName: x-}\n").empty());
    CHECK(objects_in("apiVersion: v1\nmetadata: {name: x}\n").empty());
    CHECK(objects_in("just: data\n").empty());
  }
}

TEST_CASE("identity_of is equal exactly for objects that replace each other", "[validators][index]") {
  ObjectRef a{"apps", "Deployment", "prod", "web", 1, 1};
  ObjectRef moved = a;
  moved.line = 40;
  CHECK(identity_of(a) == identity_of(moved));
  ObjectRef other_ns = a;
  other_ns.namespace_ = "staging";
  CHECK(identity_of(a) != identity_of(other_ns));
  SECTION("no namespace is 'default' for namespaced kinds") {
    ObjectRef none{"", "ConfigMap", "", "web", 1, 1}, named{"", "ConfigMap", "default", "web", 1, 1};
    CHECK(identity_of(none) == identity_of(named));
  }
  SECTION("cluster-scoped kinds ignore the namespace") {
    ObjectRef plain{"", "Namespace", "", "prod", 1, 1}, odd{"", "Namespace", "x", "prod", 1, 1};
    CHECK(identity_of(plain) == identity_of(odd));
  }
  SECTION("fields cannot run into each other") {
    ObjectRef ab{"", "ConfigMap", "a", "bc", 1, 1}, abc{"", "ConfigMap", "ab", "c", 1, 1};
    CHECK(identity_of(ab) != identity_of(abc));
  }
}
