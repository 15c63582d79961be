#pragma once
// Storage for the scalar texts of one YAML document: copies that never move,
// so views of them stay valid as long as the arena lives, also after it is
// moved. One allocation holds many scalars, where a std::string each cost a
// tenth of the load time.

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace pushgate::yaml {

class TextArena {
 public:
  // A view of a copy of `text`, owned by the arena.
  std::string_view keep(std::string_view text);

  // The size of the next block the arena allocates, when it needs one.
  void expect(std::size_t bytes) { m_next_block = bytes; }

 private:
  std::vector<std::unique_ptr<char[]>> m_blocks;
  char* m_free = nullptr;  // in the last block
  std::size_t m_left = 0;  // bytes free there
  std::size_t m_next_block = 1024;
};

}  // namespace pushgate::yaml
