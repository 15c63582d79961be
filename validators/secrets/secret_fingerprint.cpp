#include "validators/secrets/secret_fingerprint.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include "core/util/error.hpp"

namespace pushgate::secrets {

std::string fingerprint(std::string_view rule, std::string_view secret) {
  std::string input;
  input.reserve(rule.size() + 1 + secret.size());
  input.append(rule).push_back('\0');
  input.append(secret);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha256(), nullptr) != 1)
    throw Failure(ErrorCode::internal, "OpenSSL cannot compute SHA-256");
  std::string hex;
  for (std::size_t i = 0; i < k_fingerprint_digits / 2; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace pushgate::secrets
