#include "validators/schema/compact_form.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <vector>

#include "core/util/error.hpp"

namespace pushgate::schema {

namespace {

constexpr std::array<char, 8> k_magic = {'P', 'G', 'S', 'C', 'H', 'E', 'M', 'A'};
constexpr std::uint32_t k_byte_order = 0x01020304;

struct Section {
  std::uint64_t offset = 0;
  std::uint64_t count = 0;
};

enum SectionId { s_types, s_constraints, s_properties, s_type_lists, s_string_lists, s_kinds, s_strings, s_count };

// The records go to disk as they are: their sizes are the format.
static_assert(sizeof(TypeRecord) == 52 && sizeof(Constraints) == 104 && sizeof(Property) == 12 &&
              sizeof(KindEntry) == 20 && sizeof(StrRef) == 8);

struct Header {
  std::array<char, 8> magic = k_magic;
  std::uint32_t version = k_format_version;
  std::uint32_t byte_order = k_byte_order;
  std::uint64_t size = 0;
  std::uint64_t checksum = 0;
  std::uint32_t object_meta = k_none;
  std::uint32_t reserved = 0;
  std::array<Section, s_count> sections{};
};

// A 64-bit hash of four interleaved lanes: fast enough that checking a few
// hundred kilobytes stays far below the time budget of loading.
std::uint64_t checksum(std::string_view bytes) {
  constexpr std::uint64_t k1 = 0x9E3779B185EBCA87ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
  std::array<std::uint64_t, 4> lane = {k1, k2, k1 ^ k2, bytes.size()};
  std::size_t i = 0;
  for (; i + 32 <= bytes.size(); i += 32) {
    for (std::size_t l = 0; l < 4; ++l) {
      std::uint64_t word;
      std::memcpy(&word, bytes.data() + i + 8 * l, 8);
      lane[l] = std::rotl(lane[l] ^ (word * k2), 31) * k1;
    }
  }
  std::uint64_t h = lane[0] ^ std::rotl(lane[1], 7) ^ std::rotl(lane[2], 12) ^ std::rotl(lane[3], 18);
  for (; i < bytes.size(); ++i) h = (h ^ static_cast<unsigned char>(bytes[i])) * k1;
  return h ^ (h >> 29);
}

[[noreturn]] void corrupt(const std::string& what) {
  throw Failure(ErrorCode::config, "compiled schemas: " + what + " (rebuild them from their sources)");
}

template <class T>
std::span<const T> section(std::string_view bytes, const Section& s, const char* name) {
  if (s.offset % 8 != 0 || s.offset > bytes.size() ||
      s.count > (bytes.size() - s.offset) / sizeof(T))
    corrupt(fmt::format("the {} table lies outside the file", name));
  return {reinterpret_cast<const T*>(bytes.data() + s.offset), static_cast<std::size_t>(s.count)};
}

// Bounds of every index in the tables, so walking them never leaves them.
class Checker {
 public:
  explicit Checker(const Tables& t) : m_t(t) {}

  void check() const {
    for (const auto& t : m_t.types) {
      span(t.properties, m_t.properties.size());
      span(t.required, m_t.string_lists.size());
      span(t.enum_values, m_t.string_lists.size());
      span(t.list_keys, m_t.string_lists.size());
      type(t.items);
      type(t.additional);
      if (t.constraints != k_none && t.constraints >= m_t.constraints.size()) bad("a constraints index");
      if (t.special > Special::object_meta || t.format > Format::hostname || t.list_type > ListType::map)
        bad("a type tag");
    }
    for (const auto& c : m_t.constraints) {
      text(c.pattern);
      span(c.all_of, m_t.type_lists.size());
      span(c.any_of, m_t.type_lists.size());
      span(c.one_of, m_t.type_lists.size());
      type(c.not_type);
    }
    for (const auto& p : m_t.properties) {
      text(p.name);
      if (p.type == k_none) bad("a property type");
      type(p.type);
    }
    for (auto index : m_t.type_lists) {
      if (index == k_none) bad("a list entry");
      type(index);
    }
    for (const auto& s : m_t.string_lists) text(s);
    for (const auto& k : m_t.kinds) {
      text(k.api_version);
      text(k.kind);
      if (k.type == k_none) bad("a kind's type");
      type(k.type);
    }
    type(m_t.object_meta);
    runs();
  }

 private:
  [[noreturn]] static void bad(const char* what) { corrupt(fmt::format("{} is out of bounds", what)); }
  void type(std::uint32_t index) const {
    if (index != k_none && index >= m_t.types.size()) bad("a type index");
  }
  static void span(Span s, std::size_t size) {
    if (s.first > size || s.count > size - s.first) bad("a table span");
  }
  void text(StrRef r) const {
    if (r.offset > m_t.strings.size() || r.size > m_t.strings.size() - r.offset) bad("a string");
  }
  // The property index holds one entry per property: types share a run of
  // properties whole or not at all.
  void runs() const {
    std::vector<Span> runs;
    for (const auto& t : m_t.types)
      if (t.properties.count > 0) runs.push_back(t.properties);
    std::sort(runs.begin(), runs.end(),
              [](Span a, Span b) { return a.first < b.first || (a.first == b.first && a.count < b.count); });
    for (std::size_t i = 1; i < runs.size(); ++i) {
      bool same = runs[i].first == runs[i - 1].first && runs[i].count == runs[i - 1].count;
      if (!same && runs[i].first - runs[i - 1].first < runs[i - 1].count) corrupt("runs of properties overlap");
    }
  }
  const Tables& m_t;
};

template <class T>
void append(std::string& out, Section& s, std::span<const T> items) {
  out.resize((out.size() + 7) / 8 * 8, '\0');
  s = Section{out.size(), items.size()};
  out.append(reinterpret_cast<const char*>(items.data()), items.size_bytes());
}

}  // namespace

std::string write_compact(const Tables& tables) {
  Header header;
  header.object_meta = tables.object_meta;
  std::string out(sizeof(Header), '\0');
  append(out, header.sections[s_types], tables.types);
  append(out, header.sections[s_constraints], tables.constraints);
  append(out, header.sections[s_properties], tables.properties);
  append(out, header.sections[s_type_lists], tables.type_lists);
  append(out, header.sections[s_string_lists], tables.string_lists);
  append(out, header.sections[s_kinds], tables.kinds);
  append(out, header.sections[s_strings], std::span<const char>(tables.strings.data(), tables.strings.size()));
  header.size = out.size();
  header.checksum = checksum(std::string_view(out).substr(sizeof(Header)));
  std::memcpy(out.data(), &header, sizeof(Header));
  return out;
}

Tables read_compact(std::string_view bytes) {
  Header h;
  if (bytes.size() < sizeof(Header)) corrupt("too short to be compiled schemas");
  std::memcpy(&h, bytes.data(), sizeof(Header));
  if (h.magic != k_magic) corrupt("not a pushgate compiled schema file");
  if (h.byte_order != k_byte_order) corrupt("written on a machine of another byte order");
  if (h.version != k_format_version)
    corrupt(fmt::format("format version {}, this pushgate reads version {}", h.version, k_format_version));
  if (h.size != bytes.size()) corrupt(fmt::format("{} bytes where the header says {}", bytes.size(), h.size));
  if (reinterpret_cast<std::uintptr_t>(bytes.data()) % 8 != 0) corrupt("the buffer is not aligned");
  if (checksum(bytes.substr(sizeof(Header))) != h.checksum) corrupt("checksum mismatch");
  Tables t;
  t.types = section<TypeRecord>(bytes, h.sections[s_types], "types");
  t.constraints = section<Constraints>(bytes, h.sections[s_constraints], "constraints");
  t.properties = section<Property>(bytes, h.sections[s_properties], "properties");
  t.type_lists = section<std::uint32_t>(bytes, h.sections[s_type_lists], "type lists");
  t.string_lists = section<StrRef>(bytes, h.sections[s_string_lists], "string lists");
  t.kinds = section<KindEntry>(bytes, h.sections[s_kinds], "kinds");
  auto chars = section<char>(bytes, h.sections[s_strings], "strings");
  t.strings = std::string_view(chars.data(), chars.size());
  t.object_meta = h.object_meta;
  Checker(t).check();
  return t;
}

}  // namespace pushgate::schema
