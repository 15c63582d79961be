#pragma once
// A hash table over the properties of every type of a schema set. Every
// field of every object is looked up among its type's properties: here that
// costs a hash of the name and, mostly, one comparison of two words, where a
// binary search of the sorted run compared strings at each step. Built from
// the tables whenever a set is loaded or changed; not part of the compact
// form. The lookup is inline: it is on the path of every field.

#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <vector>

#include "validators/schema/schema_format.hpp"

namespace pushgate::schema {

class PropertyIndex {
 public:
  // Indexes the properties of every type of `tables`, whose runs of
  // properties must be disjoint or identical (as the compiler makes them and
  // from_compiled checks), so the table holds at most one entry per property.
  explicit PropertyIndex(const Tables& tables);

  // The property `name` in the run `properties` of a type of the tables
  // this index was built from, or nullptr.
  const Property* find(const Tables& tables, Span properties, std::string_view name) const {
    if (properties.count == 0) return nullptr;
    Key key(name);
    for (std::size_t slot = key.hash(properties.first) & m_mask;; slot = (slot + 1) & m_mask) {
      std::uint32_t index = m_slots[slot];
      if (index == k_none) return nullptr;
      const Property& p = tables.properties[index];
      if (index - properties.first < properties.count && key.names(tables.text(p.name))) return &p;
    }
  }

 private:
  // Both ends of a name (at most 16 bytes, each end read as one word) and
  // its length: enough to hash it, and to compare it with another name
  // without a call for the names up to 16 bytes that most are.
  struct Key {
    explicit Key(std::string_view name) : text(name) {
      const char* p = name.data();
      std::size_t n = name.size();
      if (n >= 8) {
        head = word<8>(p);
        tail = word<8>(p + n - 8);
      } else if (n >= 4) {
        head = word<4>(p);
        tail = word<4>(p + n - 4);
      } else if (n > 0) {
        head = static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) << 8 |
               static_cast<unsigned char>(p[n - 1]) << 16;
      }
    }

    // Names that agree in length and both ends share a probe sequence.
    std::uint64_t hash(std::uint32_t run) const {
      std::uint64_t h = (head ^ (std::uint64_t{run} << 32 | text.size())) * 0x9E3779B97F4A7C15ULL;
      h = (h ^ (h >> 29) ^ tail) * 0xBF58476D1CE4E5B9ULL;
      return h ^ (h >> 32);
    }

    // True when `other` is this name: the ends cover every byte up to 16.
    bool names(std::string_view other) const {
      if (other.size() != text.size()) return false;
      Key theirs(other);
      if (theirs.head != head || theirs.tail != tail) return false;
      return text.size() <= 16 || std::memcmp(text.data() + 8, other.data() + 8, text.size() - 16) == 0;
    }

    template <std::size_t N>
    static std::uint64_t word(const char* p) {
      std::conditional_t<N == 8, std::uint64_t, std::uint32_t> w;
      std::memcpy(&w, p, N);
      return w;
    }

    std::string_view text;
    std::uint64_t head = 0, tail = 0;
  };

  std::vector<std::uint32_t> m_slots;  // indexes into Tables::properties; k_none: free
  std::size_t m_mask = 0;
};

}  // namespace pushgate::schema
