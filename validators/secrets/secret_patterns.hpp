#pragma once
// What the secret scanner looks for: one entry per token format, each found
// only where one of its anchors (a literal every match starts with) occurs,
// so the scanner reads a line once and runs a pattern only where one may
// match.

#include <cstddef>
#include <string_view>
#include <vector>

namespace pushgate::secrets {

// What a pattern's match must also pass before it is a finding.
enum class ValueCheck {
  none,
  not_placeholder, // no placeholder (value_checks.hpp), such as AWS's documented ...EXAMPLE keys
  jwt_header,      // the first part decodes to a JSON object naming "alg"
  private_key,     // a PEM block with a key body; the body is the secret
  generic_value,   // high entropy and no placeholder (value_checks.hpp)
};

enum class AnchorCase { exact, fold };  // fold: ASCII letters compared without case

struct SecretPattern {
  std::string_view rule;     // e.g. "secrets.aws-access-key"; several patterns may share one
  std::string_view what;     // for messages: "AWS access key id"
  std::vector<std::string_view> anchors;  // at least 3 bytes each
  AnchorCase anchor_case = AnchorCase::exact;
  // PCRE2, matched anchored at the anchor; group 1 is the secret. Lookbehind
  // may look before the anchor.
  std::string_view regex;
  std::size_t shown = 0;     // bytes of the secret that are a well-known prefix, safe to print
  ValueCheck check = ValueCheck::none;
};

// Every pattern, in the order they are tried at one position: specific
// formats before the generic assignment rule.
const std::vector<SecretPattern>& secret_patterns();

// The rule of a Kubernetes Secret with plaintext data (kube_secret_check.hpp)
// and of a file too large to scan: not patterns, but rules all the same.
inline constexpr std::string_view k_kubernetes_secret_rule = "secrets.kubernetes-secret";
inline constexpr std::string_view k_file_size_rule = "secrets.file-size";

}  // namespace pushgate::secrets
