#pragma once
// Whether a commit's signature was made by a key the administrator allows:
// SSH signatures in-process (sshsig_verify.hpp), or with `ssh-keygen -Y
// verify` for the key types that leaves to it and for SSH certificates (of a
// cert-authority line); OpenPGP ones with `gpgv`. The tools run with argv
// lists and a timeout (core/util/process.hpp).

#include <chrono>
#include <cstddef>
#include <string>

#include "core/util/process.hpp"
#include "validators/commits/commit_signature.hpp"
#include "validators/commits/signer_keys.hpp"
#include "validators/commits/ssh_signature.hpp"

namespace pushgate {

enum class SignatureStatus { good, unsigned_commit, bad, unknown_key, expired_key };

struct SignatureVerdict {
  SignatureStatus status = SignatureStatus::bad;
  // good: who signed ("alice@example.com", "Bob <bob@example.com>"); else
  // what is wrong, for the pusher: the key, the line of the file, the tool's
  // own words.
  std::string detail;
};

class SignatureVerifier {
 public:
  // Checks against `keys`, running the tools through `runner`, each for at
  // most `timeout`. Both must outlive the verifier.
  SignatureVerifier(const SignerKeys& keys, ProcessRunner& runner,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10))
      : m_keys(keys), m_runner(runner), m_timeout(timeout) {}

  // The verdict on `signature`. `slot` names its files in the keys' tool
  // folder: calls that run at the same time must pass different slots.
  // Throws Failure (ErrorCode::internal) when a tool cannot be run or runs
  // out of time, ErrorCode::io when its folder cannot be made: the check then
  // did not happen, and callers fail closed.
  SignatureVerdict verify(const CommitSignature& signature, std::size_t slot) const;

 private:
  // The files of a check that ssh-keygen makes, in slot `slot` of the tool folder.
  struct SshKeygenSlot {
    const ToolFolder::Paths& tools;
    std::filesystem::path sig, data;
  };

  SignatureVerdict verify_ssh(const CommitSignature& signature, std::size_t slot) const;
  SignatureVerdict verify_ssh_certificate(const CommitSignature& signature, const SshSignatureInfo& info,
                                          const AllowedSigners& signers, std::size_t slot) const;
  SshKeygenSlot ssh_keygen_slot(const CommitSignature& signature, std::size_t slot) const;
  SignatureVerdict ssh_keygen_verify(const SshKeygenSlot& files, const std::string& principal) const;
  SignatureVerdict verify_openpgp(const CommitSignature& signature, std::size_t slot) const;
  // Runs `argv` with `tools`' GnuPG home; the lines it writes go to `lines`.
  ProcessResult run(std::vector<std::string> argv, const ToolFolder::Paths& tools, const std::filesystem::path& input,
                    std::vector<std::string>& lines) const;

  const SignerKeys& m_keys;
  ProcessRunner& m_runner;
  std::chrono::milliseconds m_timeout;
};

}  // namespace pushgate
