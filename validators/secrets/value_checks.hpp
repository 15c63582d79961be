#pragma once
// The judgements a regular expression cannot make: is a value random enough
// to be a secret, or a placeholder, a reference or a digest that only looks
// like one; does a JWT's header say it is one; what is the body of a PEM key.

#include <optional>
#include <string>
#include <string_view>

namespace pushgate::secrets {

// Bits per character a generic value needs to count as a secret. Random
// letters and digits of 10 characters or more are well above it (about 3.3);
// words, paths and identifiers mostly below.
inline constexpr double k_min_entropy = 3.0;

// Shannon entropy of the bytes of `value`, in bits per byte; 0 for "".
double shannon_entropy(std::string_view value);

// True for what people write where a secret will go: changeme, <password>,
// ${VAR}, {{ .Values.x }}, xxxxxxxx, an ENC[...] of SOPS, an example.
bool is_placeholder(std::string_view value);

// True when `value`, assigned to a password/secret/token key, looks like a
// real secret: no placeholder, no reference to code, a path, a URL, a UUID
// or a digest (40 or 64 hex digits, sha256:...), at least two of lower case,
// upper case, digits and symbols, and k_min_entropy or more.
bool is_generic_secret(std::string_view value);

// True when the first dot-separated part of `token` is base64url of a JSON
// object with an "alg" member, as every JWT header has.
bool is_jwt(std::string_view token);

// The base64 body of the PEM block whose label ends at `after_label` in
// `text`, up to its -----END line (at most 64 KiB on), without white space;
// nullopt when there is no body of 32 base64 characters or more (a
// documentation example, `...`).
std::optional<std::string> pem_body(std::string_view text, std::size_t after_label);

}  // namespace pushgate::secrets
