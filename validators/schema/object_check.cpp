#include "validators/schema/object_check.hpp"

#include <fmt/format.h>

#include <map>

#include "validators/k8s/k8s_object.hpp"
#include "validators/schema/field_path.hpp"
#include "validators/schema/json_value.hpp"
#include "validators/schema/list_duplicates.hpp"
#include "validators/schema/pattern.hpp"
#include "validators/schema/schema_lookup.hpp"
#include "validators/schema/suggestion.hpp"
#include "validators/schema/value_formats.hpp"

namespace pushgate::schema {

namespace {

using yaml::NodeId;
using yaml::NodeKind;

constexpr std::size_t k_shown_bytes = 40;  // of a value quoted in a message
constexpr std::size_t k_shown_enum_values = 8;

// The start of `text`, cut at a character boundary; report output escapes
// control characters of the whole line, so they are left as they are here.
std::string truncated(std::string_view text) {
  if (text.size() <= k_shown_bytes) return std::string(text);
  std::size_t cut = k_shown_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

// `string "two"`, `integer 3`, `object`.
std::string described(const yaml::Node& n, const Value& v) {
  if (v.kind == ValueKind::object || v.kind == ValueKind::array) return kind_name(v.kind);
  if (v.kind == ValueKind::string) return fmt::format("{} \"{}\"", kind_name(v.kind), truncated(n.value));
  return fmt::format("{} {}", kind_name(v.kind), truncated(n.value));
}

std::string expected(const TypeRecord& r) {
  if (r.special == Special::int_or_string) return "integer or string";
  if (r.special == Special::quantity) return "quantity (a number or a string such as 500m or 1Gi)";
  std::string names;
  for (auto [bit, name] : {std::pair{t_object, "object"}, {t_array, "array"}, {t_string, "string"},
                           {t_integer, "integer"}, {t_number, "number"}, {t_boolean, "boolean"}})
    if (r.types & bit) names += (names.empty() ? "" : " or ") + std::string(name);
  return names;
}

bool accepts(std::uint16_t types, ValueKind kind) {
  if (types == 0) return true;
  switch (kind) {
    case ValueKind::null: return true;
    case ValueKind::object: return types & t_object;
    case ValueKind::array: return types & t_array;
    case ValueKind::string: return types & t_string;
    case ValueKind::integer: return types & (t_integer | t_number);
    case ValueKind::number: return types & t_number;
    case ValueKind::boolean: return types & t_boolean;
  }
  return false;
}

std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// The schema of `kind` at `api_version`, the overlay winning.
std::pair<const Tables*, std::uint32_t> resolve_kind(const SchemaSet& base, const SchemaSet* overlay,
                                                     std::string_view api_version, std::string_view kind) {
  for (const SchemaSet* set : {overlay, &base}) {
    if (set == nullptr) continue;
    std::uint32_t type = set->find_kind(api_version, kind);
    if (type != k_none) return {&set->tables(), type};
  }
  return {nullptr, k_none};
}

// What all walkers over one object share: where findings go, the bounds,
// and where the walk is.
struct Shared {
  Shared(const SchemaSet& b, const SchemaSet* o, const yaml::Document& d, NodeId r, const std::string& p,
         std::vector<Finding>& f)
      : base(b), overlay(o), doc(d), root(r), path(p), out(f) {}

  const SchemaSet& base;
  const SchemaSet* overlay;
  const yaml::Document& doc;
  NodeId root;  // the object
  const std::string& path;
  std::vector<Finding>& out;
  std::size_t emitted = 0;
  std::size_t dropped = 0;
  std::size_t work = 0;
  bool exhausted = false;
  FieldPath field;
  // Patterns compiled for this object, by table and string offset.
  std::map<std::pair<const Tables*, std::uint32_t>, Pattern> patterns;

  const Pattern& pattern(const Tables& t, StrRef text) {
    auto at = patterns.find({&t, text.offset});
    if (at == patterns.end()) at = patterns.emplace(std::pair{&t, text.offset}, Pattern(t.text(text))).first;
    return at->second;
  }

  void add(NodeId at, std::string message) {
    if (emitted == k_max_findings_per_object) {
      ++dropped;
      return;
    }
    ++emitted;
    yaml::Mark mark = doc.node(at).mark;
    out.push_back(Finding{{path, mark.line, mark.column}, Severity::error, "k8s.schema", std::move(message), {}});
  }
};

// Walks a value and its schema together. A quiet walker only counts errors
// (anyOf/oneOf/not try branches with one); unknown fields are not errors in
// allOf/anyOf/oneOf/not branches, which validate values and declare no fields.
class Walker {
 public:
  enum class Mode { report, quiet };
  enum class Fields { strict, lenient };

  Walker(Shared& shared, Mode mode, Fields fields) : m_s(shared), m_mode(mode), m_fields(fields) {}

  std::size_t errors() const { return m_errors; }

  void check(const Tables& t, std::uint32_t type, NodeId node, std::size_t depth) {
    if (m_s.exhausted || (m_mode == Mode::quiet && m_errors > 0)) return;
    if (++m_s.work > k_max_check_work) {
      m_s.exhausted = true;
      m_s.add(m_s.root, fmt::format("checking stopped: the schema needs more than {} steps for this object",
                                    k_max_check_work));
      ++m_errors;
      return;
    }
    if (depth > k_max_check_depth) {
      error(node, fmt::format("nested deeper than {} levels; not checked below", k_max_check_depth));
      return;
    }
    const TypeRecord& r = t.types[type];
    const yaml::Node& n = m_s.doc.node(node);
    Value v = classify(n);
    if (v.kind == ValueKind::null) return;  // kubectl and the API server take null for "not set"
    if (r.special == Special::object_meta && v.kind == ValueKind::object) {
      const Tables* meta = t.object_meta != k_none ? &t : &m_s.base.tables();
      if (meta->object_meta != k_none) check(*meta, meta->object_meta, node, depth + 1);
      return;
    }
    if ((r.flags & f_embedded) && v.kind == ValueKind::object) {
      auto [tables, root] = resolve_kind(m_s.base, m_s.overlay, scalar_text(m_s.doc, m_s.doc.find(node, "apiVersion")),
                                         scalar_text(m_s.doc, m_s.doc.find(node, "kind")));
      if (tables != nullptr) return check(*tables, root, node, depth + 1);
    }
    if (!accepts(r.types, v.kind)) {
      error(node, fmt::format("expected {}, got {}", expected(r), described(n, v)));
      return;
    }
    const Constraints* c = r.constraints == k_none ? nullptr : &t.constraints[r.constraints];
    if (v.kind == ValueKind::object) object(t, r, c, node, depth);
    else if (v.kind == ValueKind::array) array(t, r, c, node, depth);
    else scalar(t, r, c, n, v, node);
    if (c != nullptr) combinators(t, *c, node, depth);
  }

 private:
  std::string prefix() const {
    std::string field = m_s.field.text();
    return field.empty() ? field : field + ": ";
  }

  void error(NodeId at, const std::string& message) {
    ++m_errors;
    if (m_mode == Mode::report) m_s.add(at, prefix() + message);
  }

  using Step = FieldPath::Step;

  void object(const Tables& t, const TypeRecord& r, const Constraints* c, NodeId node, std::size_t depth) {
    const auto& kids = m_s.doc.node(node).children;
    bool open = (r.flags & (f_preserve_unknown | f_open)) || r.types == 0;
    for (std::size_t i = 0; i + 1 < kids.size(); i += 2) {
      const yaml::Node& key = m_s.doc.node(kids[i]);
      std::string_view name = key.kind == NodeKind::scalar ? std::string_view(key.value) : std::string_view();
      Step step(m_s.field, name);
      const Property* p = find_property(t, r, name);
      if (p != nullptr) check(t, p->type, kids[i + 1], depth + 1);
      else if (r.additional != k_none) check(t, r.additional, kids[i + 1], depth + 1);
      else if (!open && m_fields == Fields::strict) error(kids[i], unknown_field(t, r, name));
    }
    for (const StrRef& required : t.string_lists.subspan(r.required.first, r.required.count)) {
      NodeId value = m_s.doc.find(node, t.text(required));
      if (value == yaml::k_no_node || is_null(m_s.doc.node(value)))
        error(node, fmt::format("missing required field \"{}\"", t.text(required)));
    }
    std::int64_t count = static_cast<std::int64_t>(kids.size() / 2);
    if (c != nullptr && c->min_properties >= 0 && count < c->min_properties)
      error(node, fmt::format("has {} fields, fewer than the minimum {}", count, c->min_properties));
    if (c != nullptr && c->max_properties >= 0 && count > c->max_properties)
      error(node, fmt::format("has {} fields, more than the maximum {}", count, c->max_properties));
  }

  static std::string unknown_field(const Tables& t, const TypeRecord& r, std::string_view name) {
    std::vector<std::string_view> names;
    for (const Property& p : t.properties.subspan(r.properties.first, r.properties.count))
      names.push_back(t.text(p.name));
    std::string guess = closest(name, names);
    return guess.empty() ? "unknown field" : fmt::format("unknown field (did you mean {}?)", guess);
  }

  void array(const Tables& t, const TypeRecord& r, const Constraints* c, NodeId node, std::size_t depth) {
    const auto& items = m_s.doc.node(node).children;
    for (std::size_t i = 0; i < items.size() && r.items != k_none; ++i) {
      Step step(m_s.field, i);
      check(t, r.items, items[i], depth + 1);
    }
    auto count = static_cast<std::int64_t>(items.size());
    if (c != nullptr && c->min_items >= 0 && count < c->min_items)
      error(node, fmt::format("has {} items, fewer than the minimum {}", count, c->min_items));
    if (c != nullptr && c->max_items >= 0 && count > c->max_items)
      error(node, fmt::format("has {} items, more than the maximum {}", count, c->max_items));
    if (items.size() < 2) return;  // nothing to repeat
    if (r.list_type == ListType::map && r.list_keys.count > 0) {
      auto keys = t.string_lists.subspan(r.list_keys.first, r.list_keys.count);
      for (std::size_t i : repeated_map_entries(m_s.doc, t, keys, items)) {
        std::string shown;
        for (const StrRef& key : keys)
          shown += fmt::format("{}{}=\"{}\"", shown.empty() ? "" : ", ", t.text(key),
                               truncated(scalar_text(m_s.doc, m_s.doc.find(items[i], t.text(key)))));
        Step step(m_s.field, i);
        error(items[i], fmt::format("duplicate entry with {}", shown));
      }
    } else if (r.list_type == ListType::set || (r.flags & f_unique_items)) {
      for (std::size_t i : repeated_scalars(m_s.doc, items)) {
        Step step(m_s.field, i);
        error(items[i], fmt::format("duplicate entry \"{}\"", truncated(m_s.doc.node(items[i]).value)));
      }
    }
  }

  void scalar(const Tables& t, const TypeRecord& r, const Constraints* c, const yaml::Node& n, const Value& v,
              NodeId node) {
    if (r.special == Special::quantity && v.kind == ValueKind::string && !is_quantity(n.value))
      error(node, fmt::format("invalid quantity \"{}\" (a number with an optional suffix such as 500m, 2, 1.5Gi)",
                              truncated(n.value)));
    if (v.kind == ValueKind::integer) {
      const Number& number = *v.number;
      if (r.format == Format::int32 && !(number.fits_int64 && number.integer >= INT32_MIN && number.integer <= INT32_MAX))
        error(node, fmt::format("{} is out of range for int32", truncated(n.value)));
      else if ((r.types & t_integer) && r.special != Special::quantity && !number.fits_int64)
        error(node, fmt::format("{} is out of range for int64", truncated(n.value)));
    }
    if (v.kind == ValueKind::string && r.format != Format::none)
      if (const char* wanted = string_format_mismatch(r.format, n.value))
        error(node, fmt::format("expected {}, got \"{}\"", wanted, truncated(n.value)));
    if (r.enum_values.count > 0) enumeration(t, r, n, v, node);
    if (c == nullptr) return;
    if (v.kind == ValueKind::string) {
      auto length = static_cast<std::int64_t>(code_points(n.value));
      if (c->min_length >= 0 && length < c->min_length)
        error(node, fmt::format("\"{}\" is shorter than {} characters", truncated(n.value), c->min_length));
      if (c->max_length >= 0 && length > c->max_length)
        error(node, fmt::format("\"{}\" is longer than {} characters", truncated(n.value), c->max_length));
    }
    if (v.kind == ValueKind::string && c->pattern.size > 0) pattern(t, c->pattern, n, node);
    if (v.number) bounds(r, *c, *v.number, n, node);
  }

  void pattern(const Tables& t, StrRef text, const yaml::Node& n, NodeId node) {
    const Pattern& p = m_s.pattern(t, text);
    if (!p.valid())
      return error(node, fmt::format("cannot check the pattern {}: {}", truncated(t.text(text)), p.error()));
    switch (p.matches(n.value)) {
      case Pattern::Match::yes: return;
      case Pattern::Match::no:
        return error(node, fmt::format("\"{}\" does not match the pattern {}", truncated(n.value),
                                       truncated(t.text(text))));
      case Pattern::Match::too_costly:
        return error(node, fmt::format("matching \"{}\" against the pattern {} takes too long", truncated(n.value),
                                       truncated(t.text(text))));
    }
  }

  void bounds(const TypeRecord& r, const Constraints& c, const Number& number, const yaml::Node& n, NodeId node) {
    bool below = (r.flags & f_has_minimum) &&
                 ((r.flags & f_exclusive_minimum) ? number.real <= c.minimum : number.real < c.minimum);
    bool above = (r.flags & f_has_maximum) &&
                 ((r.flags & f_exclusive_maximum) ? number.real >= c.maximum : number.real > c.maximum);
    if (below)
      error(node, fmt::format("{} is less than the minimum {}{}", truncated(n.value), c.minimum,
                              (r.flags & f_exclusive_minimum) ? " (exclusive)" : ""));
    if (above)
      error(node, fmt::format("{} is greater than the maximum {}{}", truncated(n.value), c.maximum,
                              (r.flags & f_exclusive_maximum) ? " (exclusive)" : ""));
  }

  void enumeration(const Tables& t, const TypeRecord& r, const yaml::Node& n, const Value& v, NodeId node) {
    auto values = t.string_lists.subspan(r.enum_values.first, r.enum_values.count);
    for (const StrRef& allowed : values)
      if (t.text(allowed) == n.value) return;
    std::string listed;
    for (std::size_t i = 0; i < values.size() && i < k_shown_enum_values; ++i)
      listed += fmt::format("{}\"{}\"", i ? ", " : "", truncated(t.text(values[i])));
    if (values.size() > k_shown_enum_values) listed += ", ...";
    error(node, fmt::format("unsupported value {} (expected one of {})",
                            v.kind == ValueKind::string ? "\"" + truncated(n.value) + "\"" : truncated(n.value),
                            listed));
  }

  bool passes(const Tables& t, std::uint32_t type, NodeId node, std::size_t depth) {
    Walker branch(m_s, Mode::quiet, Fields::lenient);
    branch.check(t, type, node, depth + 1);
    return branch.errors() == 0;
  }

  void combinators(const Tables& t, const Constraints& c, NodeId node, std::size_t depth) {
    for (std::uint32_t type : t.type_lists.subspan(c.all_of.first, c.all_of.count)) {
      Walker branch(m_s, m_mode, Fields::lenient);
      branch.check(t, type, node, depth + 1);
      m_errors += branch.errors();
    }
    if (c.any_of.count > 0) {
      bool any = false;
      for (std::uint32_t type : t.type_lists.subspan(c.any_of.first, c.any_of.count))
        if ((any = passes(t, type, node, depth))) break;
      if (!any) error(node, "matches none of the schemas it may match (anyOf)");
    }
    if (c.one_of.count > 0) {
      std::size_t matching = 0;
      for (std::uint32_t type : t.type_lists.subspan(c.one_of.first, c.one_of.count))
        matching += passes(t, type, node, depth);
      if (matching != 1)
        error(node, matching == 0 ? "matches none of the schemas it must match one of (oneOf)"
                                  : "matches more than one of the schemas it must match exactly one of (oneOf)");
    }
    if (c.not_type != k_none && passes(t, c.not_type, node, depth))
      error(node, "matches a schema it must not match (not)");
  }

  Shared& m_s;
  Mode m_mode;
  Fields m_fields;
  std::size_t m_errors = 0;
};

}  // namespace

Lookup check_object(const SchemaSet& base, const SchemaSet* overlay, const yaml::Document& doc, NodeId object,
                    const std::string& path, std::vector<Finding>& out) {
  std::string_view api_version = scalar_text(doc, doc.find(object, "apiVersion"));
  std::string_view kind = scalar_text(doc, doc.find(object, "kind"));
  auto [tables, root] = resolve_kind(base, overlay, api_version, kind);
  if (tables == nullptr) {
    if (kind == "List") return Lookup::checked;  // v1 List: the caller checks its items
    bool known = base.knows_api_version(api_version) || (overlay && overlay->knows_api_version(api_version));
    return known ? Lookup::unknown_kind : Lookup::unknown_api_version;
  }
  Shared shared(base, overlay, doc, object, path, out);
  Walker(shared, Walker::Mode::report, Walker::Fields::strict).check(*tables, root, object, 0);
  if (shared.dropped > 0) {
    yaml::Mark mark = doc.node(object).mark;
    out.push_back(Finding{{path, mark.line, mark.column}, Severity::error, "k8s.schema",
                          fmt::format("{} more schema errors in this object", shared.dropped), {}});
  }
  return Lookup::checked;
}

}  // namespace pushgate::schema
