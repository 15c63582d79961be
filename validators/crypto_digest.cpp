#include "validators/crypto_digest.hpp"

#include <fmt/format.h>

#include "core/util/error.hpp"

namespace pushgate {

std::string crypto_digest(const EVP_MD* hash, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned size = 0;
  if (EVP_Digest(data.data(), data.size(), out, &size, hash, nullptr) != 1)
    throw Failure(ErrorCode::internal, fmt::format("libcrypto cannot compute {}", EVP_MD_get0_name(hash)));
  return std::string(reinterpret_cast<const char*>(out), size);
}

}  // namespace pushgate
