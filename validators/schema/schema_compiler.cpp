#include "validators/schema/schema_compiler.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/util/error.hpp"

namespace pushgate::schema {

using nlohmann::json;

namespace {

constexpr std::string_view k_quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
constexpr std::string_view k_int_or_string = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
constexpr std::string_view k_object_meta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

// Keys that give a schema node a shape; a node with none of them besides a
// single allOf is an alias of that allOf's schema (how OpenAPI v3 documents
// attach a description to a $ref).
bool shapes_value(const json& schema) {
  for (const char* key : {"type", "properties", "additionalProperties", "items", "enum", "anyOf", "oneOf", "not",
                          "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
                          "x-kubernetes-embedded-resource", "format", "required"})
    if (schema.contains(key)) return true;
  return false;
}

// The $ref a schema stands for, or nullptr when it has a shape of its own.
const json* alias_of(const json& schema) {
  if (!schema.is_object()) return nullptr;
  if (auto ref = schema.find("$ref"); ref != schema.end()) return &*ref;
  auto all = schema.find("allOf");
  if (all == schema.end() || !all->is_array() || all->size() != 1 || shapes_value(schema)) return nullptr;
  auto ref = (*all)[0].find("$ref");
  return ref == (*all)[0].end() ? nullptr : &*ref;
}

std::uint16_t type_bit(std::string_view name) {
  if (name == "object") return t_object;
  if (name == "array") return t_array;
  if (name == "string") return t_string;
  if (name == "integer") return t_integer;
  if (name == "number") return t_number;
  if (name == "boolean") return t_boolean;
  return 0;
}

Format format_of(std::string_view name) {
  if (name == "int32") return Format::int32;
  if (name == "int64") return Format::int64;
  if (name == "byte") return Format::byte;
  if (name == "date-time" || name == "datetime") return Format::date_time;
  if (name == "date") return Format::date;
  if (name == "uuid") return Format::uuid;
  if (name == "ipv4") return Format::ipv4;
  if (name == "ipv6") return Format::ipv6;
  if (name == "cidr") return Format::cidr;
  if (name == "hostname") return Format::hostname;
  return Format::none;  // formats not enforced, or not checked here (email, uri, duration, ...)
}

bool flag(const json& schema, const char* key) {
  auto at = schema.find(key);
  return at != schema.end() && at->is_boolean() && at->get<bool>();
}

std::int64_t bound(const json& schema, const char* key) {
  auto at = schema.find(key);
  return at != schema.end() && at->is_number_integer() ? at->get<std::int64_t>() : -1;
}

TypeRecord anything() {
  TypeRecord r;
  r.flags = f_preserve_unknown;
  return r;
}

}  // namespace

SchemaCompiler::SchemaCompiler(Model& model, const json& definitions, std::string ref_prefix, std::string source,
                               Dialect dialect, CompileLimits limits)
    : m_model(model),
      m_definitions(definitions),
      m_ref_prefix(std::move(ref_prefix)),
      m_source(std::move(source)),
      m_dialect(dialect),
      m_limits(limits) {}

std::uint32_t SchemaCompiler::definition(const std::string& name) {
  std::uint32_t index = reference(m_ref_prefix + name);
  drain();
  return index;
}

std::uint32_t SchemaCompiler::object_root(const json& schema) {
  std::uint32_t index = compile(schema, 0, true);
  drain();
  return index;
}

void SchemaCompiler::fail(const std::string& what) const {
  std::string where;
  for (const auto& part : m_where) where += (where.empty() ? "" : ".") + part;
  throw Failure(ErrorCode::config, fmt::format("{}: {}{}", m_source, where.empty() ? "" : where + ": ", what));
}

const json& SchemaCompiler::resolve(const std::string& ref, std::string& name) const {
  std::string current = ref;
  for (std::size_t step = 0; step <= m_limits.ref_chain; ++step) {
    if (!current.starts_with(m_ref_prefix))
      fail(fmt::format("$ref '{}' does not name one of the document's schemas ({}...)", current, m_ref_prefix));
    name = current.substr(m_ref_prefix.size());
    auto at = m_definitions.find(name);
    if (at == m_definitions.end()) fail(fmt::format("$ref '{}' names no schema of the document", current));
    const json* next = alias_of(*at);
    if (next == nullptr) return *at;
    if (!next->is_string()) fail("$ref is not a string");
    current = next->get<std::string>();
  }
  fail(fmt::format("$ref '{}' leads through more than {} references (a cycle?)", ref, m_limits.ref_chain));
}

std::uint32_t SchemaCompiler::reference(const std::string& ref) {
  if (m_dialect == Dialect::crd) fail("$ref is not allowed in a CustomResourceDefinition schema");
  std::string name;
  resolve(ref, name);
  if (auto known = m_named.find(name); known != m_named.end()) return known->second;
  std::uint32_t index = m_model.add_type();
  if (++m_added > m_limits.types) fail(fmt::format("more than {} schema nodes", m_limits.types));
  m_named.emplace(name, index);
  m_pending.emplace_back(name, index);
  return index;
}

void SchemaCompiler::drain() {
  while (!m_pending.empty()) {
    auto [name, index] = m_pending.back();
    m_pending.pop_back();
    m_where = {name};
    fill(index, m_definitions[name], 0, false);
    TypeRecord& type = m_model.type(index);
    if (name == k_quantity) {
      type.types = t_string | t_integer | t_number;
      type.special = Special::quantity;
    } else if (name == k_int_or_string) {
      type.types = t_string | t_integer;
      type.special = Special::int_or_string;
    } else if (name == k_object_meta) {
      m_model.set_object_meta(index);
    }
    m_where.clear();
  }
}

std::uint32_t SchemaCompiler::compile(const json& schema, std::size_t depth, bool object_root) {
  if (depth > m_limits.depth) fail(fmt::format("schemas nested deeper than {} levels", m_limits.depth));
  if (const json* ref = alias_of(schema); ref != nullptr && !object_root) {
    if (!ref->is_string()) fail("$ref is not a string");
    return reference(ref->get<std::string>());
  }
  std::uint32_t index = m_model.add_type();
  if (++m_added > m_limits.types) fail(fmt::format("more than {} schema nodes", m_limits.types));
  fill(index, schema, depth, object_root);
  return index;
}

std::uint32_t SchemaCompiler::any_type() {
  if (m_any == k_none) m_any = m_model.add_type(anything());
  return m_any;
}

std::uint32_t SchemaCompiler::string_type() {
  TypeRecord r;
  r.types = t_string;
  if (m_string == k_none) m_string = m_model.add_type(r);
  return m_string;
}

std::uint32_t SchemaCompiler::object_meta_type() {
  TypeRecord r;
  r.types = t_object;
  r.special = Special::object_meta;
  if (m_object_meta == k_none) m_object_meta = m_model.add_type(r);
  return m_object_meta;
}

std::vector<std::uint32_t> SchemaCompiler::list_of(const json& schemas, std::size_t depth) {
  if (!schemas.is_array()) fail("expected a list of schemas");
  std::vector<std::uint32_t> types;
  for (const auto& schema : schemas) types.push_back(compile(schema, depth + 1, false));
  return types;
}

std::uint32_t SchemaCompiler::constraints_of(const json& schema, std::size_t depth, std::uint16_t& flags) {
  Constraints c;
  bool any = false;
  auto number = [&](const char* key, double& to) {
    auto at = schema.find(key);
    if (at == schema.end() || !at->is_number()) return false;
    to = at->get<double>();
    return any = true;
  };
  auto length = [&](const char* key, std::int64_t& to) {
    to = bound(schema, key);
    if (to >= 0) any = true;
  };
  auto schemas = [&](const char* key, Span& to) {
    auto at = schema.find(key);
    if (at == schema.end()) return;
    m_where.emplace_back(key);
    to = m_model.add_type_list(list_of(*at, depth));
    m_where.pop_back();
    any = true;
  };
  length("minLength", c.min_length);
  length("maxLength", c.max_length);
  length("minItems", c.min_items);
  length("maxItems", c.max_items);
  length("minProperties", c.min_properties);
  length("maxProperties", c.max_properties);
  if (auto at = schema.find("pattern"); at != schema.end() && at->is_string()) {
    c.pattern = m_model.intern(at->get<std::string>());
    any = true;
  }
  schemas("allOf", c.all_of);
  schemas("anyOf", c.any_of);
  schemas("oneOf", c.one_of);
  if (auto at = schema.find("not"); at != schema.end()) {
    m_where.emplace_back("not");
    c.not_type = compile(*at, depth + 1, false);
    m_where.pop_back();
    any = true;
  }
  double ignored = 0;
  bool has_min = number("minimum", c.minimum), has_max = number("maximum", c.maximum);
  // OpenAPI 3.1 writes exclusive bounds as numbers, 3.0 and v2 as flags.
  bool min_number = number("exclusiveMinimum", has_min ? ignored : c.minimum);
  bool max_number = number("exclusiveMaximum", has_max ? ignored : c.maximum);
  if (has_min || min_number) flags |= f_has_minimum;
  if (has_max || max_number) flags |= f_has_maximum;
  if ((min_number && !has_min) || flag(schema, "exclusiveMinimum")) flags |= f_exclusive_minimum;
  if ((max_number && !has_max) || flag(schema, "exclusiveMaximum")) flags |= f_exclusive_maximum;
  return any ? m_model.add_constraints(c) : k_none;
}

void SchemaCompiler::fill(std::uint32_t index, const json& schema, std::size_t depth, bool object_root) {
  if (schema.is_boolean() && schema.get<bool>()) {
    m_model.type(index) = anything();
    return;
  }
  if (!schema.is_object()) fail("a schema must be a JSON object");
  TypeRecord r;
  if (auto at = schema.find("type"); at != schema.end()) {
    for (const auto& name : at->is_array() ? *at : json::array({*at})) {
      if (!name.is_string()) fail("type must be a string");
      if (name == "null") continue;  // null is taken everywhere (object_check.cpp)
      std::uint16_t bit = type_bit(name.get<std::string>());
      if (bit == 0) fail(fmt::format("unknown type '{}'", name.get<std::string>()));
      r.types |= bit;
    }
  }
  if (auto at = schema.find("format"); at != schema.end() && at->is_string()) {
    if (*at == "int-or-string") r.special = Special::int_or_string;
    r.format = format_of(at->get<std::string>());
  }
  if (flag(schema, "x-kubernetes-int-or-string")) r.special = Special::int_or_string;
  if (r.special == Special::int_or_string) r.types = t_string | t_integer;
  if (flag(schema, "x-kubernetes-preserve-unknown-fields")) r.flags |= f_preserve_unknown;
  if (flag(schema, "x-kubernetes-embedded-resource")) r.flags |= f_embedded;
  if (flag(schema, "uniqueItems")) r.flags |= f_unique_items;

  auto strings = [&](const char* key) {
    std::vector<std::string> texts;
    auto at = schema.find(key);
    if (at == schema.end()) return Span{};
    if (!at->is_array()) fail(fmt::format("{} must be a list", key));
    for (const auto& item : *at) texts.push_back(item.is_string() ? item.get<std::string>() : item.dump());
    return m_model.add_strings(texts);
  };
  r.required = strings("required");
  r.enum_values = strings("enum");
  r.list_keys = strings("x-kubernetes-list-map-keys");
  if (auto at = schema.find("x-kubernetes-list-type"); at != schema.end()) {
    if (*at == "set") r.list_type = ListType::set;
    if (*at == "map") r.list_type = ListType::map;
  }

  std::vector<Property> properties;
  if (auto at = schema.find("properties"); at != schema.end()) {
    if (!at->is_object()) fail("properties must be an object");
    for (const auto& [name, sub] : at->items()) {
      m_where.push_back(name);
      properties.push_back(Property{m_model.intern(name), compile(sub, depth + 1, false)});
      m_where.pop_back();
    }
  }
  // The API server reads apiVersion, kind and metadata of every object
  // (and of an embedded one) itself, whatever the schema says of them.
  if (object_root || (r.flags & f_embedded)) {
    for (auto& p : properties)
      if (m_model.tables().text(p.name) == "metadata") p.type = object_meta_type();
    auto implicit = [&](std::string_view name, std::uint32_t type) {
      for (const auto& p : properties)
        if (m_model.tables().text(p.name) == name) return;
      properties.push_back(Property{m_model.intern(name), type});
    };
    implicit("apiVersion", string_type());
    implicit("kind", string_type());
    implicit("metadata", object_meta_type());
    if (object_root) implicit("status", any_type());
  }
  bool closed = false;
  if (auto at = schema.find("additionalProperties"); at != schema.end()) {
    m_where.emplace_back("additionalProperties");
    if (at->is_boolean() && at->get<bool>())
      r.additional = any_type();
    else if (at->is_boolean())
      closed = true;
    else
      r.additional = compile(*at, depth + 1, false);
    m_where.pop_back();
  }
  if (auto at = schema.find("items"); at != schema.end()) {
    m_where.emplace_back("items");
    r.items = at->is_array() ? any_type() : compile(*at, depth + 1, false);  // tuples: not in Kubernetes
    m_where.pop_back();
  }
  if (m_dialect == Dialect::openapi && properties.empty() && r.additional == k_none && !closed &&
      (r.types == 0 || (r.types & t_object)))
    r.flags |= f_open;
  r.constraints = constraints_of(schema, depth, r.flags);
  r.properties = m_model.add_properties(std::move(properties));
  m_model.type(index) = r;
}

}  // namespace pushgate::schema
