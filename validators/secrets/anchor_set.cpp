#include "validators/secrets/anchor_set.hpp"

#include <stdexcept>

namespace pushgate::secrets {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - ('a' - 'A')) : c; }

// Calls `each` with every spelling of `bytes` that a literal matched with
// `match_case` accepts: itself, or with each letter in either case.
template <class Each>
void spellings(std::string_view bytes, AnchorCase match_case, Each&& each) {
  std::string spelling(bytes);
  if (match_case == AnchorCase::exact) return each(spelling);
  for (unsigned mask = 0; mask < 1u << bytes.size(); ++mask) {
    for (std::size_t i = 0; i < bytes.size(); ++i)
      spelling[i] = mask >> i & 1 ? upper(bytes[i]) : lower(bytes[i]);
    each(spelling);  // spellings repeat where a byte is no letter: harmless
  }
}

}  // namespace

void AnchorSet::add(std::string_view literal, AnchorCase match_case, std::size_t tag) {
  if (literal.size() < 3) throw std::logic_error("a secret anchor needs three bytes or more");
  auto bytes = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  spellings(literal.substr(0, 3), match_case, [&](const std::string& s) {
    m_pairs[pair(bytes(s))] |= k_first;
    m_pairs[pair(bytes(s) + 1)] |= k_second;
    m_filter.set(slot(bytes(s)));
  });
  std::string copy(literal);
  m_anchors.push_back({copy, match_case, tag, folded(bytes(copy))});
}

bool AnchorSet::matches(const Anchor& a, std::string_view text, std::size_t at) {
  std::string_view here = text.substr(at, a.literal.size());
  if (here.size() != a.literal.size()) return false;
  if (a.match_case == AnchorCase::exact) return here == a.literal;
  for (std::size_t i = 0; i < here.size(); ++i)
    if (lower(here[i]) != lower(a.literal[i])) return false;
  return true;
}

}  // namespace pushgate::secrets
