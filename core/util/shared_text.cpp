#include "core/util/shared_text.hpp"

#include <atomic>
#include <cstring>
#include <new>
#include <ostream>

#include "core/util/error.hpp"

namespace pushgate {

// The count, the size and the characters in one allocation.
struct SharedText::Block {
  std::atomic<std::uint32_t> references;
  std::uint32_t size;
  char* text() { return reinterpret_cast<char*>(this + 1); }
};

SharedText::SharedText(std::string_view text) {
  if (text.empty()) return;
  // Paths and reasons are short; a size past 4 GiB is not one.
  if (text.size() > UINT32_MAX) throw Failure(ErrorCode::internal, "a shared text of more than 4 GiB");
  void* memory = ::operator new(sizeof(Block) + text.size());
  m_block = new (memory) Block{{1}, static_cast<std::uint32_t>(text.size())};
  std::memcpy(m_block->text(), text.data(), text.size());
}

SharedText::SharedText(const SharedText& other) noexcept : m_block(other.m_block) {
  if (m_block) m_block->references.fetch_add(1, std::memory_order_relaxed);
}

SharedText::~SharedText() {
  if (m_block && m_block->references.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    m_block->~Block();
    ::operator delete(m_block);
  }
}

std::string_view SharedText::view() const {
  return m_block ? std::string_view(m_block->text(), m_block->size) : std::string_view();
}

std::ostream& operator<<(std::ostream& out, const SharedText& text) { return out << text.view(); }

}  // namespace pushgate
