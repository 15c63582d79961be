#include "validators/secrets/secret_fingerprint.hpp"

#include <fmt/format.h>

#include "validators/crypto_digest.hpp"

namespace pushgate::secrets {

std::string fingerprint(std::string_view rule, std::string_view secret) {
  std::string input;
  input.reserve(rule.size() + 1 + secret.size());
  input.append(rule).push_back('\0');
  input.append(secret);
  std::string digest = crypto_digest(EVP_sha256(), input);
  std::string hex;
  for (std::size_t i = 0; i < k_fingerprint_digits / 2; ++i)
    hex += fmt::format("{:02x}", static_cast<unsigned char>(digest[i]));
  return hex;
}

}  // namespace pushgate::secrets
