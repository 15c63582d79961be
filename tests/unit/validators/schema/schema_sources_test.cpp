#include <catch2/catch.hpp>

#include "validators/schema/schema_sources.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/support/temp_dir.hpp"

using namespace pushgate;
using pushgate::test::slurp;
using pushgate::test::spit;

namespace {

// One kind, example.com/v1 Thing, with an integer `size`.
const char* const k_openapi = R"({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
 "definitions": {
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type": "object", "properties": {"name": {"type": "string"}}},
  "com.example.v1.Thing": {"type": "object",
    "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Thing"}],
    "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
      "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
      "size": {"type": "integer"}}}}})";

const char* const k_crd = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.org
spec:
  group: example.org
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
)";

ValidateSettings with_schemas(std::vector<std::string> schemas) {
  ValidateSettings settings;
  settings.schemas = std::move(schemas);
  return settings;
}

const schema::SchemaTrust k_server{::geteuid()};

}  // namespace

TEST_CASE("schemas are compiled once, then read from the cache until a source changes", "[schema]") {
  test::TempDir dir;
  spit(dir / "k8s.json", k_openapi);
  spit(dir / "crds/widgets.yaml", k_crd);
  auto settings = with_schemas({(dir / "k8s.json").string(), (dir / "crds").string()});
  auto cache = dir / "pushgate-schemas.cache";

  auto first = schema::load_schemas(settings, cache, k_server);
  REQUIRE(first);
  CHECK(first->compiled);
  CHECK(first->cache_written);
  CHECK(first->set->knows_api_version("example.com/v1"));
  CHECK(first->set->knows_api_version("example.org/v1"));
  CHECK_FALSE(first->set->knows_api_version("apps/v1"));
  CHECK(first->files == std::vector<std::string>{(dir / "k8s.json").string(), (dir / "crds/widgets.yaml").string()});

  auto again = schema::load_schemas(settings, cache, k_server);
  REQUIRE(again);
  CHECK_FALSE(again->compiled);
  CHECK(again->set->knows_api_version("example.org/v1"));

  // A new CRD in the folder, and then a damaged cache: compiled again.
  spit(dir / "crds/more/gadgets.yaml", std::string(k_crd) + "\n");
  auto changed = schema::load_schemas(settings, cache, k_server);
  REQUIRE(changed);
  CHECK(changed->compiled);
  std::string bytes = slurp(cache);
  bytes[bytes.size() - 10] ^= 0x55;
  spit(cache, bytes);
  auto damaged = schema::load_schemas(settings, cache, k_server);
  REQUIRE(damaged);
  CHECK(damaged->compiled);
  CHECK(damaged->set->knows_api_version("example.com/v1"));
}

TEST_CASE("schema sources that are missing, untrusted or invalid are errors naming the file", "[schema]") {
  test::TempDir dir;
  auto cache = dir / "pushgate-schemas.cache";
  auto missing = schema::load_schemas(with_schemas({(dir / "nope.json").string()}), cache, k_server);
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().message, Catch::Contains("nope.json") && Catch::Contains("does not exist"));

  spit(dir / "k8s.json", k_openapi);
  ::chmod((dir / "k8s.json").c_str(), 0664);
  auto open = schema::load_schemas(with_schemas({(dir / "k8s.json").string()}), cache, k_server);
  REQUIRE_FALSE(open);
  CHECK_THAT(open.error().message, Catch::Contains("k8s.json"));
  // A developer's own files are believed as they are.
  CHECK(schema::load_schemas(with_schemas({(dir / "k8s.json").string()}), cache, {}));

  spit(dir / "bad.json", "{\"swagger\": \"2.0\", \"definitions\": [");
  auto bad = schema::load_schemas(with_schemas({(dir / "bad.json").string()}), cache, k_server);
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message, Catch::Contains("bad.json"));

  std::string misnamed(k_crd);
  misnamed.replace(misnamed.find("widgets.example.org"), 19, "widget.example.org");
  spit(dir / "crds/w.yaml", misnamed);
  auto crd = schema::load_schemas(with_schemas({(dir / "crds").string()}), cache, k_server);
  REQUIRE_FALSE(crd);
  CHECK_THAT(crd.error().message, Catch::Contains("crds/w.yaml:4:") && Catch::Contains("[k8s.schema]"));

  spit(dir / "empty/other.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
  auto none = schema::load_schemas(with_schemas({(dir / "empty").string()}), cache, k_server);
  REQUIRE_FALSE(none);
  CHECK_THAT(none.error().message, Catch::Contains("holds no CustomResourceDefinition"));
}
