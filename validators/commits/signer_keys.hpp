#pragma once
// The administrator's key files of one validate.signatures entry, read as
// trusted files (core/util/trusted_file.hpp) and copied into a private
// folder that ssh-keygen and gpgv are pointed at: what the tools read is
// exactly what was checked, whoever can write near the originals.

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "core/config/repo_config.hpp"
#include "core/util/error.hpp"
#include "validators/commits/allowed_signers.hpp"

namespace pushgate {

class SignerKeys {
 public:
  // Reads the files `rule` names; each must belong to root or `owner` and be
  // writable by nobody else. Errors: ErrorCode::config naming the file and
  // the fix (untrusted, missing, a malformed allowed-signers line),
  // ErrorCode::io when the private folder cannot be made.
  static Expected<std::unique_ptr<SignerKeys>> load(const SignatureRule& rule, uid_t owner);
  // Removes the private folder.
  ~SignerKeys();
  SignerKeys(const SignerKeys&) = delete;
  SignerKeys& operator=(const SignerKeys&) = delete;

  // The allowed signers, parsed; null when the rule names no such file.
  const AllowedSigners* ssh() const { return m_ssh ? &*m_ssh : nullptr; }
  const std::filesystem::path& ssh_file() const { return m_ssh_file; }
  // The OpenPGP keyring's copy; empty when the rule names none.
  const std::filesystem::path& keyring_file() const { return m_keyring_file; }
  // An empty GnuPG home, so gpgv reads no one's own configuration or keys.
  std::filesystem::path gnupg_home() const { return m_folder / "gnupg"; }
  // The private folder, for the signature and data files of each check.
  const std::filesystem::path& folder() const { return m_folder; }
  const SignatureRule& rule() const { return m_rule; }

 private:
  explicit SignerKeys(const SignatureRule& rule) : m_rule(rule) {}
  SignatureRule m_rule;
  std::filesystem::path m_folder;
  std::optional<AllowedSigners> m_ssh;
  std::filesystem::path m_ssh_file;
  std::filesystem::path m_keyring_file;
};

}  // namespace pushgate
