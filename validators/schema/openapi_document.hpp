#pragma once
// Reading an OpenAPI document (v2 swagger.json or v3) into a Model, within
// limits that keep a hostile or broken file from costing seconds or memory:
//   - at most k_max_document_bytes of text (the 1.36 swagger is 4 MB; a
//     cluster's /openapi/v2 with many CRDs stays well below this);
//   - arrays and objects nested at most k_max_json_depth deep (Kubernetes'
//     documents nest about 10 deep), checked before the JSON is parsed;
//   - the CompileLimits of schema_compiler.hpp ($ref chains, nodes, inline nesting).

#include <cstddef>
#include <string_view>

#include "validators/schema/schema_model.hpp"

namespace pushgate::schema {

inline constexpr std::size_t k_max_document_bytes = 32u << 20;
inline constexpr std::size_t k_max_json_depth = 256;

// Adds every kind of the document to `model`. Throws Failure("SOURCE: ...").
void add_openapi_document(Model& model, std::string_view json_text, std::string_view source);

}  // namespace pushgate::schema
