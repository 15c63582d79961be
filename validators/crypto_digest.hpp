#pragma once
// A one-shot libcrypto hash, shared by the signature checks and the secret
// fingerprints.

#include <openssl/evp.h>

#include <string>
#include <string_view>

namespace pushgate {

// The raw digest of `data` with `hash` (EVP_sha256(), ...). Throws Failure
// (ErrorCode::internal) when libcrypto cannot compute it.
std::string crypto_digest(const EVP_MD* hash, std::string_view data);

}  // namespace pushgate
