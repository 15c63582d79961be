#pragma once
// An SSH public key, from its wire-format blob (what base64 in a .pub file
// decodes to), as a libcrypto key: the key types that pushgate verifies
// signatures of in-process (sshsig_verify.hpp).

#include <openssl/evp.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/util/error.hpp"
#include "validators/commits/openssl_handles.hpp"

namespace pushgate {

enum class SshKeyKind { ed25519, ecdsa, rsa };

struct SshPublicKey {
  SshKeyKind kind = SshKeyKind::ed25519;
  std::string type;                  // "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", ...
  const EVP_MD* curve_hash = nullptr;  // ECDSA: the hash its curve signs with (RFC 5656 6.2.1)
  EvpPkeyPtr key;
};

// The key of `blob`. nullopt for a type read elsewhere (sk-* FIDO keys,
// certificates, DSA): `ssh-keygen -Y verify` decides about those. Errors
// (ErrorCode::input) as ssh-keygen 9.2 refuses keys: a malformed blob, a
// point not on its curve, an RSA modulus under 1024 bits.
Expected<std::optional<SshPublicKey>> read_ssh_public_key(std::string_view blob);

}  // namespace pushgate
