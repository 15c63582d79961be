#pragma once
// What an OpenSSH user certificate (PROTOCOL.certkeys) says about itself: its
// key id, principals, validity and the CA key that signed it. Read so that a
// pusher is told which part of their certificate does not count; whether the
// CA's signature is valid is for `ssh-keygen -Y verify` to say.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pushgate {

struct SshCertificate {
  std::string key_id;
  std::vector<std::string> principals;  // empty: valid for any principal
  std::uint64_t valid_after = 0;        // seconds since the epoch
  std::uint64_t valid_before = 0;       // UINT64_MAX: forever
  bool user = false;                    // a user certificate (not a host one)
  std::string ca_key;                   // the signing CA's public key blob
};

// Whether key type `type` names a certificate ("ssh-ed25519-cert-v01@openssh.com", ...).
bool is_ssh_certificate(std::string_view type);

// The certificate in key blob `blob`; nullopt when it is not a certificate of
// a known key type or is malformed.
std::optional<SshCertificate> read_ssh_certificate(std::string_view blob);

}  // namespace pushgate
