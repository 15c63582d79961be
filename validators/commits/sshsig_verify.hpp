#pragma once
// SSH signatures (openssh PROTOCOL.sshsig) checked in-process with libcrypto,
// the way `ssh-keygen -Y verify` (OpenSSH 9.2) checks them, without running a
// process per commit: ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa
// keys (rsa-sha2-256/512 signatures; SHA-1 ssh-rsa ones and moduli under 1024
// bits are refused, as ssh-keygen refuses them). Which key may sign is not
// decided here (allowed_signers.hpp).

#include <string>
#include <string_view>

#include "validators/commits/ssh_signature.hpp"

namespace pushgate {

enum class SshsigResult {
  good,         // a valid signature of the data by the key it carries
  bad,          // not valid; `why` says what is wrong, for the pusher
  unsupported,  // a key type checked by ssh-keygen instead (sk-* FIDO keys, certificates, DSA)
};

struct SshsigVerdict {
  SshsigResult result = SshsigResult::bad;
  std::string why;
};

// Whether `signature` signs `data` for namespace `name_space` with the key it
// carries. Throws Failure (ErrorCode::internal) only when libcrypto cannot
// run at all (no memory); the check then did not happen.
SshsigVerdict verify_sshsig(const SshSignatureInfo& signature, std::string_view name_space, std::string_view data);

}  // namespace pushgate
