#pragma once
// The records of a compiled schema set. They are laid out flat, indices
// instead of pointers, so that the compiled form written beside the config is
// these tables byte for byte and a push reads it in place (compact_form.hpp).
// Every field has a fixed width; changing one means a new k_format_version.

#include <cstdint>
#include <span>
#include <string_view>

namespace pushgate::schema {

class PropertyIndex;

inline constexpr std::uint32_t k_none = UINT32_MAX;

// Text in the string table.
struct StrRef {
  std::uint32_t offset = 0;
  std::uint32_t size = 0;
};

// A run of entries in one of the list tables.
struct Span {
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

// JSON types a value may have (bits of TypeRecord::types); none set = any.
enum TypeBit : std::uint16_t {
  t_object = 1,
  t_array = 2,
  t_string = 4,
  t_integer = 8,
  t_number = 16,
  t_boolean = 32,
};

// Value shapes that JSON Schema's types do not say.
enum class Special : std::uint8_t {
  none,
  int_or_string,  // x-kubernetes-int-or-string, intstr.IntOrString
  quantity,       // resource.Quantity: a number or a quantity string
  object_meta,    // metav1.ObjectMeta, resolved in the base set (CRD roots)
};

// String and integer formats that the API server enforces (for CRDs: the
// ones of apiextensions' supported list that are cheap to check).
enum class Format : std::uint8_t { none, int32, int64, byte, date_time, date, uuid, ipv4, ipv6, cidr, hostname };

enum class ListType : std::uint8_t { atomic, set, map };

enum TypeFlag : std::uint16_t {
  f_preserve_unknown = 1,  // x-kubernetes-preserve-unknown-fields: anything below
  f_embedded = 2,          // x-kubernetes-embedded-resource
  f_open = 4,              // an object without properties that takes any field (RawExtension)
  f_unique_items = 8,
  f_has_minimum = 16,
  f_has_maximum = 32,
  f_exclusive_minimum = 64,
  f_exclusive_maximum = 128,
};

// One schema node. Properties are sorted by name.
struct TypeRecord {
  std::uint16_t types = 0;
  std::uint16_t flags = 0;
  Special special = Special::none;
  Format format = Format::none;
  ListType list_type = ListType::atomic;
  std::uint8_t reserved = 0;
  Span properties;   // Property table
  Span required;     // string list
  Span enum_values;  // string list: strings as they are, other values as JSON text
  Span list_keys;    // string list: x-kubernetes-list-map-keys
  std::uint32_t items = k_none;
  std::uint32_t additional = k_none;   // additionalProperties schema
  std::uint32_t constraints = k_none;  // Constraints table
};

// What few schema nodes carry: bounds and combinators (CRDs mostly).
struct Constraints {
  double minimum = 0;
  double maximum = 0;
  std::int64_t min_length = -1, max_length = -1;  // -1: no bound
  std::int64_t min_items = -1, max_items = -1;
  std::int64_t min_properties = -1, max_properties = -1;
  StrRef pattern;  // size 0: none
  Span all_of, any_of, one_of;  // type list
  std::uint32_t not_type = k_none;
  std::uint32_t reserved = 0;
};

struct Property {
  StrRef name;
  std::uint32_t type = k_none;
};

// A kind served at an apiVersion; sorted by (api_version, kind).
struct KindEntry {
  StrRef api_version;  // "apps/v1", "v1"
  StrRef kind;
  std::uint32_t type = k_none;
};

// The tables of one schema set, wherever they live (vectors while compiling,
// the compiled bytes once loaded). Indices in them are valid: the compiler
// makes them so and from_compiled checks them.
struct Tables {
  std::span<const TypeRecord> types;
  std::span<const Constraints> constraints;
  std::span<const Property> properties;
  std::span<const std::uint32_t> type_lists;
  std::span<const StrRef> string_lists;
  std::span<const KindEntry> kinds;
  std::string_view strings;
  std::uint32_t object_meta = k_none;  // the ObjectMeta type, when the set has it
  // Derived from the tables by the SchemaSet that holds them, not stored in
  // the compact form; null in tables that no set holds.
  const PropertyIndex* property_index = nullptr;

  // Without a bounds check: every StrRef of a set was checked when it was
  // loaded, or made by the compiler, and this is on the path of every field.
  std::string_view text(StrRef ref) const { return {strings.data() + ref.offset, ref.size}; }
};

}  // namespace pushgate::schema
