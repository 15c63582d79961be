#pragma once
// The scanner's prefilter: finds where any of a set of short literals starts
// in one pass over the text. Each position costs one lookup of its two bytes
// (case folded) in a table of the literals' first pairs, and one branch per
// four positions (a first byte alone, a, e, s, t..., matched a third of YAML
// text); in a run of four with hits, only the positions that hit are tried.
// Where a pair starts a literal, a second filter on three bytes; only its
// hits are compared with the literals.

#include <algorithm>
#include <array>
#include <bit>
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
    end = std::min(end, text.size() - 2);
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = begin;
    while (i + 4 <= end) {
      // A bit for each of four positions whose pair starts a literal's.
      unsigned hits = m_pairs[pair(p + i)] | m_pairs[pair(p + i + 1)] << 1 | m_pairs[pair(p + i + 2)] << 2 |
                      m_pairs[pair(p + i + 3)] << 3;
      std::size_t go_on = i + 4;
      std::size_t skipped_to = i;  // a match covers the positions before this
      for (; hits != 0; hits &= hits - 1) {
        std::size_t at = i + static_cast<std::size_t>(std::countr_zero(hits));
        if (at < skipped_to) continue;
        skipped_to = try_at(text, at, on_hit);
        go_on = std::max(go_on, skipped_to);
      }
      i = go_on;
    }
    for (; i < end;) i = m_pairs[pair(p + i)] ? try_at(text, i, on_hit) : i + 1;
  }

 private:
  // Reports the literals that start at `at`, whose pair is a literal's;
  // returns where to go on from.
  template <class OnHit>
  std::size_t try_at(std::string_view text, std::size_t at, OnHit& on_hit) const {
    std::uint32_t key = trigram(reinterpret_cast<const unsigned char*>(text.data()) + at);
    std::size_t next = at + 1;
    if (!m_filter[slot(key)]) return next;
    for (const Anchor& a : m_anchors)
      if (a.key == key && matches(a, text, at)) next = std::max(next, on_hit(at, a.tag));
    return next;
  }

  struct Anchor {
    std::string literal;
    AnchorCase match_case;
    std::size_t tag;
    std::uint32_t key;
  };
  static constexpr int k_bits = 15;

  // In the machine's byte order: add() and find() agree on it.
  static std::uint16_t pair(const unsigned char* p) {
    std::uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return static_cast<std::uint16_t>(v | 0x2020u);
  }
  static std::uint32_t trigram(const unsigned char* p) {
    return (p[0] | 0x20u) | (p[1] | 0x20u) << 8 | (p[2] | 0x20u) << 16;
  }
  static std::uint32_t slot(std::uint32_t key) { return (key * 0x9E3779B1u) >> (32 - k_bits); }
  static bool matches(const Anchor& a, std::string_view text, std::size_t at);

  std::array<std::uint8_t, 1u << 16> m_pairs{};  // 1: pairs that fold as a literal's first two do
  std::bitset<1u << k_bits> m_filter;
  std::vector<Anchor> m_anchors;
};

}  // namespace pushgate::secrets
