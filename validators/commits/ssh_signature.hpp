#pragma once
// What an SSH signature (ssh-keygen -Y sign, git's gpg.format=ssh; openssh
// PROTOCOL.sshsig) holds: the public key that made it, the namespace it was
// made for, and the signature itself. Whether it is valid is for
// sshsig_verify.hpp (or `ssh-keygen -Y verify`) to say.

#include <string>
#include <string_view>

#include "core/util/error.hpp"

namespace pushgate {

struct SshSignatureInfo {
  std::string public_key;  // the key blob, in SSH wire format (what base64 in a .pub file decodes to)
  std::string key_type;    // "ssh-ed25519", "ssh-rsa", ...
  std::string name_space;  // "git" for commits and tags
  std::string hash_alg;    // of the signed data: "sha512" (ssh-keygen's) or "sha256"
  std::string signature;   // the signature blob, in SSH wire format (type, then its bytes)
};

// Parses an armored SSHSIG block. Errors (ErrorCode::input) say what is
// malformed: no armor, not base64, a version other than 1, a field cut short
// or trailing data after the signature.
Expected<SshSignatureInfo> parse_ssh_signature(std::string_view armored);

// `type base64` of key blob `blob`, as in a .pub file and allowed-signers
// lines: what a message shows so a user can find their key. Long keys (RSA)
// are shortened in the middle.
std::string describe_ssh_key(std::string_view blob);

}  // namespace pushgate
