#include "validators/secrets/anchor_set.hpp"

#include <stdexcept>

namespace pushgate::secrets {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

}  // namespace

void AnchorSet::add(std::string_view literal, AnchorCase match_case, std::size_t tag) {
  if (literal.size() < 3) throw std::logic_error("a secret anchor needs three bytes or more");
  std::uint32_t key = trigram(reinterpret_cast<const unsigned char*>(literal.data()));
  m_filter.set(slot(key));
  m_pairs[pair(reinterpret_cast<const unsigned char*>(literal.data()))] = 1;
  m_anchors.push_back({std::string(literal), match_case, tag, key});
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
