#include "validators/schema/schema_set.hpp"

#include "validators/schema/compact_form.hpp"
#include "validators/schema/crd_schema.hpp"
#include "validators/schema/kind_index.hpp"
#include "validators/schema/openapi_document.hpp"
#include "validators/schema/property_index.hpp"
#include "validators/schema/schema_lookup.hpp"
#include "validators/schema/schema_model.hpp"

namespace pushgate::schema {

SchemaSet::SchemaSet() : m_model(std::make_unique<Model>()) { show(m_model->tables()); }
SchemaSet::~SchemaSet() = default;
SchemaSet::SchemaSet(SchemaSet&&) noexcept = default;
SchemaSet& SchemaSet::operator=(SchemaSet&&) noexcept = default;

void SchemaSet::show(Tables tables) {
  m_index = std::make_unique<const PropertyIndex>(tables);
  m_kinds = std::make_unique<const KindIndex>(tables);
  m_tables = tables;
  m_tables.property_index = m_index.get();
}

Model& SchemaSet::model() {
  if (!m_model) {
    m_model = std::make_unique<Model>(m_tables);
    m_bytes.reset();
  }
  return *m_model;
}

void SchemaSet::add_openapi(std::string_view json_text, std::string_view source) {
  // A source that fails leaves the set as it was.
  Model copy(m_tables);
  add_openapi_document(copy, json_text, source);
  model() = std::move(copy);
  show(m_model->tables());
}

bool SchemaSet::add_crd(const yaml::Document& doc, yaml::NodeId object, const std::string& path,
                        std::vector<Finding>& problems) {
  bool added = add_crd_schemas(model(), doc, object, path, problems);
  show(m_model->tables());
  return added;
}

std::string SchemaSet::compiled() const { return write_compact(m_tables); }

SchemaSet SchemaSet::from_compiled(std::string bytes) {
  SchemaSet set;
  auto owned = std::make_unique<const std::string>(std::move(bytes));
  set.show(read_compact(*owned));
  set.m_bytes = std::move(owned);
  set.m_model.reset();
  return set;
}

bool SchemaSet::knows_api_version(std::string_view api_version) const {
  return has_api_version(m_tables, api_version);
}

std::vector<std::string_view> SchemaSet::api_versions_of(std::string_view kind) const {
  std::vector<std::string_view> versions;
  for (const KindEntry& entry : m_tables.kinds)
    if (m_tables.text(entry.kind) == kind) versions.push_back(m_tables.text(entry.api_version));
  return versions;
}

std::uint32_t SchemaSet::find_kind(std::string_view api_version, std::string_view kind) const {
  return m_kinds->find(m_tables, api_version, kind);
}

}  // namespace pushgate::schema
