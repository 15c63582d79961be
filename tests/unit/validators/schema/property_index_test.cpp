#include "validators/schema/property_index.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "validators/schema/schema_model.hpp"

using namespace pushgate;

namespace {

// Two types whose properties have names of every length class the index
// reads differently (under 4 bytes, 4 to 7, 8 to 16, longer), some of them
// in both types, and long names that differ only in their middle.
struct TwoTypes {
  TwoTypes() {
    first = model.add_type();
    second = model.add_type();
    model.type(first).properties = add({"a", "ab", "abc", "name", "image", "protocol", "containerPort",
                                        "terminationMessagePath", "terminationXessagePath", "readinessProbe"});
    model.type(second).properties = add({"name", "ports", "terminationMessagePolicy", "x"});
  }
  schema::Span add(const std::vector<std::string>& names) {
    std::vector<schema::Property> properties;
    for (const std::string& name : names) properties.push_back({model.intern(name), first});
    return model.add_properties(std::move(properties));
  }
  schema::Model model;
  std::uint32_t first = 0, second = 0;
};

}  // namespace

TEST_CASE("property index: finds each property of its type, and only there", "[schema]") {
  TwoTypes types;
  schema::Tables tables = types.model.tables();
  schema::PropertyIndex index(tables);
  for (std::uint32_t type : {types.first, types.second}) {
    schema::Span run = tables.types[type].properties;
    for (std::uint32_t i = run.first; i < run.first + run.count; ++i) {
      std::string name(tables.text(tables.properties[i].name));  // another buffer than the table's
      INFO(name);
      CHECK(index.find(tables, run, name) == &tables.properties[i]);
    }
  }
  schema::Span first = tables.types[types.first].properties, second = tables.types[types.second].properties;
  CHECK(index.find(tables, first, "ports") == nullptr);       // a property of the other type
  CHECK(index.find(tables, second, "image") == nullptr);
  CHECK(index.find(tables, first, "terminationMessagePolicy") == nullptr);
  CHECK(index.find(tables, first, "terminationYessagePath") == nullptr);  // the middle differs
  CHECK(index.find(tables, first, "terminationMessagePath ") == nullptr);
  CHECK(index.find(tables, first, "nam") == nullptr);
  CHECK(index.find(tables, first, "") == nullptr);
  CHECK(index.find(tables, first, "b") == nullptr);
  CHECK(index.find(tables, first, "ba") == nullptr);
  CHECK(index.find(tables, schema::Span{}, "name") == nullptr);
}
