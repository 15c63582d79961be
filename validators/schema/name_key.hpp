#pragma once
// A name as the schema walk's hash tables read it: the two words at its
// ends (at most 16 bytes) and its length. That is enough to hash any name
// in a few instructions, and to compare two names up to 16 bytes, which
// most field and kind names are, without a call to memcmp.

#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace pushgate::schema {

class NameKey {
 public:
  explicit NameKey(std::string_view name) : m_text(name) {
    const char* p = name.data();
    std::size_t n = name.size();
    if (n >= 8) {
      m_head = word<8>(p);
      m_tail = word<8>(p + n - 8);
    } else if (n >= 4) {
      m_head = word<4>(p);
      m_tail = word<4>(p + n - 4);
    } else if (n > 0) {
      m_head = static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) << 8 |
               static_cast<unsigned char>(p[n - 1]) << 16;
    }
  }

  // Names that agree in length and both ends hash alike for one `seed`.
  std::uint64_t hash(std::uint64_t seed) const {
    std::uint64_t h = (m_head ^ (seed << 32 | m_text.size())) * 0x9E3779B97F4A7C15ULL;
    h = (h ^ (h >> 29) ^ m_tail ^ seed) * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
  }

  // True when `other` is this name: the ends cover every byte up to 16.
  bool names(std::string_view other) const {
    if (other.size() != m_text.size()) return false;
    NameKey theirs(other);
    if (theirs.m_head != m_head || theirs.m_tail != m_tail) return false;
    return m_text.size() <= 16 || std::memcmp(m_text.data() + 8, other.data() + 8, m_text.size() - 16) == 0;
  }

 private:
  template <std::size_t N>
  static std::uint64_t word(const char* p) {
    std::conditional_t<N == 8, std::uint64_t, std::uint32_t> w;
    std::memcpy(&w, p, N);
    return w;
  }

  std::string_view m_text;
  std::uint64_t m_head = 0, m_tail = 0;
};

}  // namespace pushgate::schema
