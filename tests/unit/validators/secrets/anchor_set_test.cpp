#include "validators/secrets/anchor_set.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <utility>

using namespace pushgate::secrets;

namespace {

using Hits = std::vector<std::pair<std::size_t, std::size_t>>;  // position, tag

struct Literal {
  std::string_view text;
  AnchorCase match_case;
};

// Three bytes, the shortest a literal may be, and longer ones whose first
// pairs overlap, in both cases.
const std::vector<Literal> k_literals{
    {"eyJ", AnchorCase::exact}, {"AKIA", AnchorCase::exact}, {"secret", AnchorCase::fold},
    {"sec_x", AnchorCase::exact}, {"token", AnchorCase::fold}, {"ghp_", AnchorCase::exact},
};

AnchorSet anchors() {
  AnchorSet set;
  for (std::size_t i = 0; i < k_literals.size(); ++i) set.add(k_literals[i].text, k_literals[i].match_case, i);
  return set;
}

bool starts_here(std::string_view text, std::size_t at, const Literal& l) {
  if (text.size() - at < l.text.size()) return false;
  for (std::size_t i = 0; i < l.text.size(); ++i) {
    char c = text[at + i], want = l.text[i];
    if (l.match_case == AnchorCase::fold ? std::tolower(c) != std::tolower(want) : c != want) return false;
  }
  return true;
}

// What find() must report, position by position.
Hits expected(std::string_view text, std::size_t begin, std::size_t end) {
  Hits out;
  for (std::size_t at = begin; at < std::min(end, text.size()); ++at)
    for (std::size_t tag = 0; tag < k_literals.size(); ++tag)
      if (starts_here(text, at, k_literals[tag])) out.emplace_back(at, tag);
  return out;
}

Hits found(const AnchorSet& set, std::string_view text, std::size_t begin, std::size_t end) {
  Hits out;
  set.find(text, begin, end, [&](std::size_t at, std::size_t tag) {
    out.emplace_back(at, tag);
    return at + 1;
  });
  return out;
}

}  // namespace

TEST_CASE("AnchorSet finds every literal at every offset, in its case", "[secrets]") {
  const AnchorSet set = anchors();
  // Literals at both parities, back to back, overlapping, in either case,
  // cut off by the end, and near misses (AKIa, eyj, sec_X).
  const std::string text =
      "apiVersion: v1\nkind: Secret\ndata:\n  SECRET_TOKEN: eyJhbGciOi\n  x: AKIAAKIA AKIa eyj sEcReT\n"
      "  sec_xsec_X tokentoken ghp_ghp ToKeN:eyJ\nseceyJAKI";
  for (std::size_t begin = 0; begin < 12; ++begin) {
    INFO("begin " << begin);
    CHECK(found(set, text, begin, text.size()) == expected(text, begin, text.size()));
    std::size_t end = text.size() - begin;
    INFO("end " << end);
    CHECK(found(set, text, begin, end) == expected(text, begin, end));
  }
  CHECK(found(set, "eyJ", 0, 3) == Hits{{0, 0}});
  CHECK(found(set, "ey", 0, 2).empty());
}

TEST_CASE("AnchorSet goes on from where a hit says, skipping what it matched", "[secrets]") {
  const AnchorSet set = anchors();
  const std::string text = "tokentoken eyJeyJ";
  Hits out;
  set.find(text, 0, text.size(), [&](std::size_t at, std::size_t tag) {
    out.emplace_back(at, tag);
    return at + k_literals[tag].text.size() + 1;  // past the literal and one byte more
  });
  CHECK(out == Hits{{0, 4}, {11, 0}});
}
