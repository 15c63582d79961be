#include "validators/schema/openapi_document.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/util/error.hpp"
#include "validators/schema/schema_compiler.hpp"

namespace pushgate::schema {

using nlohmann::json;

namespace {

[[noreturn]] void fail(std::string_view source, const std::string& what) {
  throw Failure(ErrorCode::config, fmt::format("{}: {}", source, what));
}

// Refuses text nested deeper than k_max_json_depth before any parser
// recurses or allocates for it; strings are skipped so brackets in them do
// not count.
void check_nesting(std::string_view text, std::string_view source) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > k_max_json_depth)
        fail(source, fmt::format("JSON nested deeper than {} levels at byte {}", k_max_json_depth, i));
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

constexpr std::string_view k_meta_package = "io.k8s.apimachinery.pkg.apis.meta.v1.";

// The string at `key` of `object`, or "".
std::string text_of(const json& object, const char* key) {
  auto at = object.find(key);
  return at != object.end() && at->is_string() ? at->get<std::string>() : "";
}

std::string api_version_of(const json& gvk) {
  std::string group = text_of(gvk, "group"), version = text_of(gvk, "version");
  return group.empty() ? version : group + "/" + version;
}

void add_schemas(Model& model, std::string_view json_text, std::string_view source) {
  if (json_text.size() > k_max_document_bytes)
    fail(source, fmt::format("{} bytes, more than the {} MiB an OpenAPI document may have", json_text.size(),
                             k_max_document_bytes >> 20));
  check_nesting(json_text, source);
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) fail(source, "not valid JSON");
  if (!doc.is_object()) fail(source, "not an OpenAPI document (expected a JSON object)");

  const json* definitions = nullptr;
  std::string prefix;
  if (doc.contains("swagger") || doc.contains("definitions")) {
    definitions = doc.contains("definitions") ? &doc["definitions"] : nullptr;
    prefix = "#/definitions/";
  } else if (doc.contains("openapi")) {
    auto components = doc.find("components");
    if (components != doc.end() && components->is_object() && components->contains("schemas"))
      definitions = &(*components)["schemas"];
    prefix = "#/components/schemas/";
  } else {
    fail(source, "neither an OpenAPI v2 document (\"swagger\", \"definitions\") nor v3 (\"openapi\")");
  }
  if (definitions == nullptr || !definitions->is_object()) fail(source, "the document defines no schemas");

  SchemaCompiler compiler(model, *definitions, prefix, std::string(source), Dialect::openapi);
  std::size_t kinds = 0;
  for (const auto& [name, schema] : definitions->items()) {
    auto gvks = schema.is_object() ? schema.find("x-kubernetes-group-version-kind") : schema.end();
    if (gvks == schema.end() || !gvks->is_array()) continue;
    std::uint32_t type = compiler.definition(name);
    for (const auto& gvk : *gvks) {
      if (!gvk.is_object() || text_of(gvk, "kind").empty()) continue;
      // meta/v1's DeleteOptions and WatchEvent name every group version the
      // scheme ever had, removed ones too; they would make autoscaling/v2beta2
      // look served by a 1.30 cluster.
      if (name.starts_with(k_meta_package) && !text_of(gvk, "group").empty()) continue;
      model.add_kind(api_version_of(gvk), text_of(gvk, "kind"), type);
      ++kinds;
    }
  }
  if (kinds == 0) fail(source, "no schema names a Kubernetes kind (x-kubernetes-group-version-kind)");
  if (definitions->contains("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
    compiler.definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
}

}  // namespace

void add_openapi_document(Model& model, std::string_view json_text, std::string_view source) {
  try {
    add_schemas(model, json_text, source);
  } catch (const json::exception& e) {
    // A value of an unexpected JSON type where the reader asked for one.
    fail(source, std::string("unusable document: ") + e.what());
  }
}

}  // namespace pushgate::schema
