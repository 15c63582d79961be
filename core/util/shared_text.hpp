#pragma once
// An immutable string shared by reference count: a copy is one pointer and
// an atomic increment. Findings hold their file's path this way, so the tens
// of thousands of findings of a large tree share one copy per file rather
// than each owning one (issue 8).

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>

namespace pushgate {

class SharedText {
 public:
  SharedText() = default;
  // Copies `text` into a block of its own; "" holds none.
  SharedText(std::string_view text);
  SharedText(const std::string& text) : SharedText(std::string_view(text)) {}
  SharedText(const char* text) : SharedText(std::string_view(text)) {}
  SharedText(const SharedText& other) noexcept;
  SharedText(SharedText&& other) noexcept : m_block(other.m_block) { other.m_block = nullptr; }
  SharedText& operator=(SharedText other) noexcept {
    std::swap(m_block, other.m_block);
    return *this;
  }
  ~SharedText();

  std::string_view view() const;
  operator std::string_view() const { return view(); }
  std::string str() const { return std::string(view()); }
  bool empty() const { return m_block == nullptr; }
  std::size_t size() const { return view().size(); }
  bool starts_with(std::string_view prefix) const { return view().starts_with(prefix); }
  bool starts_with(char c) const { return view().starts_with(c); }
  // Whether both hold the same block (so the same text): compared first,
  // as the findings of one file share their path.
  bool same(const SharedText& other) const { return m_block == other.m_block; }

  friend bool operator==(const SharedText& a, std::string_view b) { return a.view() == b; }
  friend std::strong_ordering operator<=>(const SharedText& a, std::string_view b) { return a.view() <=> b; }

 private:
  struct Block;
  Block* m_block = nullptr;
};

std::ostream& operator<<(std::ostream& out, const SharedText& text);

}  // namespace pushgate
