#pragma once
// The scanner's prefilter: finds where any of a set of short literals starts
// in one pass over the text. It reads the text two bytes at a time, in the
// exact case the literals can take: every literal (3 bytes or more) that
// starts at i or i + 1 holds the pair of bytes at i + 1, as its second or
// its first pair. So one table lookup every other position tells whether
// either may start there, and four of them, ORed, clear eight positions with
// one branch: Kubernetes YAML rarely holds a pair of the literals' in their
// case. Where a pair hits, a filter on the three bytes at the position;
// only its hits are compared with the literals.

#include <algorithm>
#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "validators/secrets/secret_patterns.hpp"

namespace pushgate::secrets {

class AnchorSet {
 public:
  // Adds `literal` (3 bytes or more) with a `tag` that find() reports.
  void add(std::string_view literal, AnchorCase match_case, std::size_t tag);

  // Calls `on_hit(position, tag)` for every position in [begin, end) of
  // `text` where a literal starts (the literal may run past `end`), in
  // order; a position where several start is reported once per literal.
  // `on_hit` returns the position to go on from (at least position + 1), so
  // a caller can skip over what it matched.
  template <class OnHit>
  void find(std::string_view text, std::size_t begin, std::size_t end, OnHit&& on_hit) const {
    if (text.size() < 3) return;
    // A literal starting before `end` has its first three bytes in the text.
    end = std::min(end, text.size() - 2);
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = begin;
    while (i + 8 <= end) {
      if ((m_pairs[pair(p + i + 1)] | m_pairs[pair(p + i + 3)] | m_pairs[pair(p + i + 5)] |
           m_pairs[pair(p + i + 7)]) == 0) {
        i += 8;
        continue;
      }
      for (std::size_t stop = i + 8; i < stop;) i = try_two(text, i, end, on_hit);
    }
    while (i < end) i = try_two(text, i, end, on_hit);
  }

 private:
  // Roles of a pair of bytes in m_pairs.
  static constexpr std::uint8_t k_first = 1;   // a literal's bytes 0-1
  static constexpr std::uint8_t k_second = 2;  // a literal's bytes 1-2

  // Reports the literals that start at `at` or at `at` + 1 (before `end`),
  // as the pair at `at` + 1 allows; returns where to go on from.
  template <class OnHit>
  std::size_t try_two(std::string_view text, std::size_t at, std::size_t end, OnHit& on_hit) const {
    std::uint8_t roles = m_pairs[pair(reinterpret_cast<const unsigned char*>(text.data()) + at + 1)];
    std::size_t next = roles & k_second ? try_at(text, at, on_hit) : at + 1;
    if (next != at + 1) return next;  // a match covers at + 1
    return roles & k_first && next < end ? try_at(text, next, on_hit) : at + 2;
  }

  // Reports the literals that start at `at`; returns where to go on from.
  template <class OnHit>
  std::size_t try_at(std::string_view text, std::size_t at, OnHit& on_hit) const {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + at;
    std::size_t next = at + 1;
    if (!m_filter[slot(p)]) return next;
    std::uint32_t key = folded(p);
    for (const Anchor& a : m_anchors)
      if (a.key == key && matches(a, text, at)) next = std::max(next, on_hit(at, a.tag));
    return next;
  }

  struct Anchor {
    std::string literal;
    AnchorCase match_case;
    std::size_t tag;
    std::uint32_t key;  // folded() of its first three bytes
  };
  static constexpr int k_bits = 15;

  // In the machine's byte order: add() and find() agree on it.
  static std::uint16_t pair(const unsigned char* p) {
    std::uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static std::uint32_t folded(const unsigned char* p) {
    return (p[0] | 0x20u) | (p[1] | 0x20u) << 8 | (p[2] | 0x20u) << 16;
  }
  static std::uint32_t slot(const unsigned char* p) {
    std::uint32_t key = p[0] | p[1] << 8 | p[2] << 16;
    return (key * 0x9E3779B1u) >> (32 - k_bits);
  }
  static bool matches(const Anchor& a, std::string_view text, std::size_t at);

  std::array<std::uint8_t, 1u << 16> m_pairs{};  // k_first | k_second, by the pair's bytes
  std::bitset<1u << k_bits> m_filter;           // by slot() of the first three bytes
  std::vector<Anchor> m_anchors;
};

}  // namespace pushgate::secrets
