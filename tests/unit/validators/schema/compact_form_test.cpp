#include "validators/schema/compact_form.hpp"

#include <catch2/catch.hpp>

#include <cstring>

#include "core/util/error.hpp"
#include "validators/schema/schema_model.hpp"
#include "tests/unit/validators/schema/schema_test_support.hpp"

using namespace pushgate;
using pushgate::test::check_yaml;

namespace {

// Every finding of checking `text`, as text.
std::string verdict(const schema::SchemaSet& set, const std::string& text) {
  auto checked = check_yaml(set, text);
  return std::to_string(static_cast<int>(checked.lookup)) + checked.describe();
}

std::string failure_of(std::string bytes) {
  try {
    schema::SchemaSet::from_compiled(std::move(bytes));
  } catch (const Failure& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("compact form: a round trip gives the same verdicts", "[schema]") {
  schema::SchemaSet built = test::widget_schemas();
  schema::SchemaSet loaded = schema::SchemaSet::from_compiled(built.compiled());
  CHECK(loaded.kind_count() == built.kind_count());
  CHECK(loaded.compiled() == built.compiled());
  const char* objects[] = {
      "apiVersion: example.com/v1\nkind: Widget\nspec: {selector: {matchLabels: {a: b}}, replicas: 2}\n",
      "apiVersion: example.com/v1\nkind: Widget\nspec: {selector: {}, replicas: two, mode: Medium, size: 1 G}\n",
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: {nme: x}\nspec: {selector: {matchLabels: {}},"
      " containers: [{name: a}, {name: a, imagePullPolcy: x}]}\n",
      "apiVersion: v1\nkind: Holder\ndata: {a: 1}\n",
      "apiVersion: example.com/v2\nkind: Widget\n",
  };
  for (const char* text : objects) CHECK(verdict(loaded, text) == verdict(built, text));
  CHECK(!verdict(built, objects[1]).empty());

  SECTION("and kinds can be added to a loaded set") {
    loaded.add_openapi(R"({"swagger": "2.0", "definitions": {"x.Gadget": {"type": "object",
        "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Gadget"}]}}})",
                       "gadget.json");
    CHECK(loaded.find_kind("example.com/v1", "Gadget") != schema::k_none);
    CHECK(verdict(loaded, objects[1]) == verdict(built, objects[1]));
  }
}

TEST_CASE("compact form: the 1.36 swagger round trip", "[schema]") {
  auto file = test::shared_file("k8s-openapi/swagger-v1.36.json");
  if (!file) {
    WARN("skipped: swagger-v1.36.json is not in the shared folder (set PUSHGATE_SHARED_DIR)");
    return;
  }
  schema::SchemaSet built;
  built.add_openapi(test::read_file(*file), file->string());
  schema::SchemaSet loaded = schema::SchemaSet::from_compiled(built.compiled());
  std::string bad = "apiVersion: apps/v1\nkind: Deployment\nspec: {replicas: x, selector: {}, template: "
                    "{spec: {containers: [{name: a, imagePullPolcy: x, resources: {limits: {cpu: 1 core}}}]}}}\n";
  CHECK(verdict(loaded, bad) == verdict(built, bad));
  auto checked = check_yaml(loaded, bad);
  INFO(checked.describe());
  CHECK(checked.findings.size() == 3);  // a LabelSelector may be empty
  CHECK(loaded.knows_api_version("autoscaling/v2"));
}

TEST_CASE("compact form: foreign, truncated and corrupt bytes are refused", "[schema]") {
  std::string good = test::widget_schemas().compiled();
  CHECK(failure_of("") == "compiled schemas: too short to be compiled schemas (rebuild them from their sources)");
  CHECK(failure_of(std::string(200, 'x')).find("not a pushgate compiled schema file") != std::string::npos);
  CHECK(failure_of(good.substr(0, good.size() - 1)).find("bytes where the header says") != std::string::npos);
  CHECK(failure_of(good + "x").find("bytes where the header says") != std::string::npos);
  std::string other_version = good;
  other_version[8] = 99;
  CHECK(failure_of(other_version).find("format version 99") != std::string::npos);
  SECTION("any byte changed after the header is caught") {
    for (std::size_t at = 128; at < good.size(); at += 7) {
      std::string changed = good;
      changed[at] = static_cast<char>(changed[at] ^ 0x5a);
      INFO("byte " << at);
      CHECK(!failure_of(changed).empty());
    }
  }
}

TEST_CASE("compact form: indices out of bounds are refused even with a right checksum", "[schema]") {
  schema::Model model;
  std::uint32_t root = model.add_type();
  model.add_kind("v1", "Thing", root);
  model.add_properties({schema::Property{model.intern("name"), 12345}});
  model.type(root).properties = schema::Span{0, 1};
  std::string bytes = schema::write_compact(model.tables());
  CHECK(failure_of(bytes).find("a type index is out of bounds") != std::string::npos);

  model.type(root).properties = schema::Span{0, 2};
  CHECK(failure_of(schema::write_compact(model.tables())).find("a table span is out of bounds") != std::string::npos);
}

TEST_CASE("compact form: types share a run of properties whole or not at all", "[schema]") {
  schema::Model model;
  std::uint32_t root = model.add_type();
  std::uint32_t other = model.add_type();
  model.add_kind("v1", "Thing", root);
  model.type(root).properties = model.add_properties(
      {schema::Property{model.intern("a"), root}, schema::Property{model.intern("b"), root}});
  model.type(other).properties = model.type(root).properties;
  CHECK_NOTHROW(schema::SchemaSet::from_compiled(schema::write_compact(model.tables())));
  model.type(other).properties = schema::Span{1, 1};
  CHECK(failure_of(schema::write_compact(model.tables())).find("runs of properties overlap") != std::string::npos);
}

TEST_CASE("compact form: tables with random indices are refused or walked safely", "[schema]") {
  // Bytes with a right checksum can still be anything: every index that
  // from_compiled accepts must keep check_object inside the tables, even
  // when it makes cycles (items of itself, allOf of itself).
  schema::SchemaSet good = test::widget_schemas();
  const char* objects[] = {
      "apiVersion: example.com/v1\nkind: Widget\nspec: {selector: {matchLabels: {a: b}}, replicas: 2, tags: [a, a],"
      " containers: [{name: a, image: [x]}], template: {apiVersion: v1, kind: Holder, data: {a: b}}}\n",
      "apiVersion: v1\nkind: Holder\nmetadata: {name: h, labels: {a: b}}\ndata: {a: [[[1]]]}\n",
  };
  std::uint32_t random = 12345;
  auto next = [&] { return random = random * 1103515245u + 12345u; };
  std::size_t accepted = 0;
  for (int round = 0; round < 300; ++round) {
    schema::Model model(good.tables());
    std::uint32_t count = model.type_count();
    for (int change = 0; change < 3; ++change) {
      schema::TypeRecord& type = model.type(next() % count);
      std::uint32_t value = next() % 4 == 0 ? next() : next() % (count + 2);
      switch (next() % 6) {
        case 0: type.items = value; break;
        case 1: type.additional = value; break;
        case 2: type.constraints = value % 3 == 0 ? schema::k_none : value; break;
        case 3: type.properties.first = value; break;
        case 4: type.required = schema::Span{value % 40, value % 3}; break;
        default: type.types = static_cast<std::uint16_t>(value);
      }
    }
    std::string bytes = schema::write_compact(model.tables());
    try {
      schema::SchemaSet loaded = schema::SchemaSet::from_compiled(bytes);
      ++accepted;
      for (const char* text : objects) test::check_yaml(loaded, text);
    } catch (const Failure&) {
    }
  }
  CHECK(accepted > 0);
  CHECK(accepted < 300);
}
