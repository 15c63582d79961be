#pragma once
// The fingerprint of a finding: what an administrator pastes into the
// allow-list to accept it. It names the secret without revealing it: the
// first 32 hex digits (128 bits) of SHA-256 over the rule id, a NUL byte and
// the secret. The same secret gets the same fingerprint in every file and
// commit; it changes when the secret does.

#include <string>
#include <string_view>

namespace pushgate::secrets {

inline constexpr std::size_t k_fingerprint_digits = 32;

std::string fingerprint(std::string_view rule, std::string_view secret);

}  // namespace pushgate::secrets
