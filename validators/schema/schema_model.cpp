#include "validators/schema/schema_model.hpp"

#include <algorithm>

#include "validators/schema/schema_lookup.hpp"

namespace pushgate::schema {

namespace {

template <class T>
std::vector<T> copy_of(std::span<const T> items) {
  return {items.begin(), items.end()};
}

}  // namespace

Model::Model(const Tables& tables)
    : m_types(copy_of(tables.types)),
      m_constraints(copy_of(tables.constraints)),
      m_properties(copy_of(tables.properties)),
      m_type_lists(copy_of(tables.type_lists)),
      m_string_lists(copy_of(tables.string_lists)),
      m_kinds(copy_of(tables.kinds)),
      m_strings(tables.strings),
      m_object_meta(tables.object_meta) {
  // So that texts added later share the entries already there.
  auto known = [&](StrRef ref) { m_interned.try_emplace(std::string(tables.text(ref)), ref); };
  for (const auto& p : m_properties) known(p.name);
  for (const auto& s : m_string_lists) known(s);
  for (const auto& k : m_kinds) known(k.api_version), known(k.kind);
}

StrRef Model::intern(std::string_view text) {
  auto [at, inserted] = m_interned.try_emplace(std::string(text));
  if (inserted) {
    at->second = StrRef{static_cast<std::uint32_t>(m_strings.size()), static_cast<std::uint32_t>(text.size())};
    m_strings.append(text);
  }
  return at->second;
}

std::uint32_t Model::add_type(const TypeRecord& type) {
  m_types.push_back(type);
  return static_cast<std::uint32_t>(m_types.size() - 1);
}

std::uint32_t Model::add_constraints(const Constraints& constraints) {
  m_constraints.push_back(constraints);
  return static_cast<std::uint32_t>(m_constraints.size() - 1);
}

Span Model::add_properties(std::vector<Property> properties) {
  std::sort(properties.begin(), properties.end(), [&](const Property& a, const Property& b) {
    return std::string_view(m_strings).substr(a.name.offset, a.name.size) <
           std::string_view(m_strings).substr(b.name.offset, b.name.size);
  });
  Span span{static_cast<std::uint32_t>(m_properties.size()), static_cast<std::uint32_t>(properties.size())};
  m_properties.insert(m_properties.end(), properties.begin(), properties.end());
  return span;
}

Span Model::add_strings(const std::vector<std::string>& texts) {
  Span span{static_cast<std::uint32_t>(m_string_lists.size()), static_cast<std::uint32_t>(texts.size())};
  for (const auto& text : texts) m_string_lists.push_back(intern(text));
  return span;
}

Span Model::add_type_list(const std::vector<std::uint32_t>& types) {
  Span span{static_cast<std::uint32_t>(m_type_lists.size()), static_cast<std::uint32_t>(types.size())};
  m_type_lists.insert(m_type_lists.end(), types.begin(), types.end());
  return span;
}

void Model::add_kind(std::string_view api_version, std::string_view kind, std::uint32_t type) {
  KindEntry entry{intern(api_version), intern(kind), type};
  std::size_t at = kind_position(tables(), api_version, kind);
  if (find_kind(tables(), api_version, kind) != k_none)
    m_kinds[at] = entry;
  else
    m_kinds.insert(m_kinds.begin() + static_cast<std::ptrdiff_t>(at), entry);
}

Tables Model::tables() const {
  return Tables{m_types, m_constraints, m_properties, m_type_lists, m_string_lists, m_kinds, m_strings, m_object_meta};
}

}  // namespace pushgate::schema
