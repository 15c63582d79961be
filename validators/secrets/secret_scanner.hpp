#pragma once
// Finds secrets in text: one pass of the anchor prefilter over the bytes,
// then the patterns of the anchors found (PCRE2, JIT-compiled) at those
// positions only.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "validators/secrets/anchor_set.hpp"
#include "validators/secrets/secret_patterns.hpp"

namespace pushgate::secrets {

struct SecretMatch {
  const SecretPattern* pattern = nullptr;
  std::size_t offset = 0;  // where the match starts in the scanned text
  std::size_t end = 0;     // where it ends
  std::string secret;      // what the fingerprint is made of; never printed
  std::string shown;       // what may be printed: a well-known prefix, or a PEM label
};

class SecretScanner {
 public:
  // Compiles every pattern of secret_patterns(). Throws Failure (internal)
  // when one does not compile: a bug.
  SecretScanner();
  ~SecretScanner();
  SecretScanner(const SecretScanner&) = delete;
  SecretScanner& operator=(const SecretScanner&) = delete;

  // Appends to `out` the secrets that start in [begin, end) of `text`, in
  // order; a match may read past `end` (the body of a PEM block). One
  // match per position: the first pattern that matches and passes its check.
  // Safe to call from several threads at once.
  void scan(std::string_view text, std::size_t begin, std::size_t end, std::vector<SecretMatch>& out) const;

 private:
  struct Compiled;
  struct Scratch;
  // The match of pattern `tag` at `at`, if it matches and passes its check.
  std::optional<SecretMatch> match_at(std::string_view text, std::size_t at, std::size_t tag, Scratch& scratch) const;
  // True when a pattern other than the generic one matches in [begin, end):
  // a value assigned to `token:` is reported as what its format says.
  bool has_specific(std::string_view text, std::size_t begin, std::size_t end, Scratch& scratch) const;

  std::vector<Compiled> m_compiled;  // in the order of secret_patterns()
  AnchorSet m_anchors;               // tags: index into m_compiled
};

// The text of `match` that may be printed: its shown part and "****".
std::string masked(const SecretMatch& match);

}  // namespace pushgate::secrets
