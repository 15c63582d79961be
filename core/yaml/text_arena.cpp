#include "core/yaml/text_arena.hpp"

#include <algorithm>
#include <cstring>

namespace pushgate::yaml {

namespace {

// Blocks grow from the first guess up to this size; a longer text gets a
// block of its own size.
constexpr std::size_t k_max_block = 64 * 1024;

}  // namespace

std::string_view TextArena::keep(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > m_left) {
    std::size_t size = std::max(text.size(), m_next_block);
    m_blocks.push_back(std::make_unique_for_overwrite<char[]>(size));
    m_free = m_blocks.back().get();
    m_left = size;
    m_next_block = std::min(m_next_block * 2, k_max_block);
  }
  char* at = m_free;
  std::memcpy(at, text.data(), text.size());
  m_free += text.size();
  m_left -= text.size();
  return {at, text.size()};
}

}  // namespace pushgate::yaml
