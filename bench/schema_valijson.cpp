// The alternative to pushgate's compiled schema check that the decision was
// measured against: Debian's valijson (libvalijson-dev), JSON Schema draft 4,
// on the same OpenAPI document and objects as schema_check.
//
//   schema_valijson SWAGGER_JSON MANIFEST_DIR
//
// valijson keeps its schema as an object graph built from parsed JSON, so a
// push would pay the JSON parse and the graph build; it knows neither
// int-or-string, quantities nor unknown fields (draft 4 allows them), so it
// checks less than pushgate does. Only Deployments are checked (one root).

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>

#include "bench/bench_files.hpp"
#include "core/yaml/yaml_tree.hpp"
#include "validators/k8s/k8s_object.hpp"
#include "validators/schema/json_value.hpp"

namespace {

using pushgate::bench::Clock;
using pushgate::bench::ms_since;
using nlohmann::json;

json to_json(const pushgate::yaml::Document& doc, pushgate::yaml::NodeId id) {
  using namespace pushgate::schema;
  const auto& n = doc.node(id);
  if (n.kind == pushgate::yaml::NodeKind::mapping) {
    json o = json::object();
    for (std::size_t i = 0; i + 1 < n.children.size(); i += 2) o[doc.node(n.children[i]).value] = to_json(doc, n.children[i + 1]);
    return o;
  }
  if (n.kind == pushgate::yaml::NodeKind::sequence) {
    json a = json::array();
    for (auto c : n.children) a.push_back(to_json(doc, c));
    return a;
  }
  Value v = classify(n);
  switch (v.kind) {
    case ValueKind::null: return nullptr;
    case ValueKind::boolean: return boolean_value(n);
    case ValueKind::integer: return v.number->integer;
    case ValueKind::number: return v.number->real;
    default: return n.value;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: schema_valijson SWAGGER_JSON MANIFEST_DIR\n");
    return 2;
  }
  std::string text = pushgate::bench::read_file(argv[1]);
  auto start = Clock::now();
  json doc = json::parse(text);
  double parse_ms = ms_since(start);
  doc["$ref"] = "#/definitions/io.k8s.api.apps.v1.Deployment";
  valijson::Schema schema;
  start = Clock::now();
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
  valijson::adapters::NlohmannJsonAdapter adapter(doc);
  parser.populateSchema(adapter, schema);
  double build_ms = ms_since(start);
  std::printf("valijson load: JSON parse %.1f ms + schema graph %.1f ms = %.1f ms per process\n", parse_ms, build_ms,
              parse_ms + build_ms);

  std::vector<json> objects;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[2])) {
    if (!entry.is_regular_file() || entry.path().extension() != ".yaml") continue;
    auto loaded = pushgate::yaml::load(pushgate::bench::read_file(entry.path()), pushgate::yaml::Limits{});
    for (const auto& d : loaded.documents)
      if (pushgate::scalar_text(d, d.find(d.root(), "kind")) == "Deployment") objects.push_back(to_json(d, d.root()));
  }
  valijson::Validator validator;
  std::size_t failed = 0;
  start = Clock::now();
  for (const auto& object : objects) {
    valijson::adapters::NlohmannJsonAdapter target(object);
    valijson::ValidationResults results;
    if (!validator.validate(schema, target, &results)) ++failed;
  }
  double check_ms = ms_since(start);
  std::printf("valijson check: %zu Deployments (%zu invalid) in %.1f ms: %.2f us/object\n", objects.size(), failed,
              check_ms, check_ms * 1e3 / std::max<std::size_t>(objects.size(), 1));
  return 0;
}
