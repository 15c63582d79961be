#pragma once
// `pattern` of a schema: a regular expression that a string must match
// somewhere (anchors are the pattern's own), as the API server checks it.
// Patterns come from CRDs in a push, so matching is bounded: PCRE2 with a
// match limit and a heap-depth limit, never recursion on the stack.
// PCRE2 reads a superset of Go's RE2 syntax; what RE2 refuses
// (backreferences, lookaround) is accepted here.

#include <memory>
#include <string>
#include <string_view>

namespace pushgate::schema {

class Pattern {
 public:
  enum class Match { yes, no, too_costly };

  // The compiled `pattern`, or a Pattern whose error() says why it is none.
  explicit Pattern(std::string_view pattern);
  ~Pattern();
  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;

  bool valid() const { return m_code != nullptr; }
  // Why the pattern does not compile; "" when it does.
  const std::string& error() const { return m_error; }

  // Whether `text` matches; too_costly when the bounds stop the matcher.
  // Precondition: valid().
  Match matches(std::string_view text) const;

 private:
  struct Code;
  std::unique_ptr<Code> m_code;
  std::string m_error;
};

}  // namespace pushgate::schema
