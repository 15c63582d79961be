#pragma once
// The administrator's key files of one validate.signatures entry, read as
// trusted files (core/util/trusted_file.hpp): the allowed signers parsed for
// the checks made in-process, and both files kept as read for the tools
// (tool_folder.hpp), which get private copies only when they run.

#include <sys/types.h>

#include <memory>
#include <optional>

#include "core/config/repo_config.hpp"
#include "core/util/error.hpp"
#include "validators/commits/allowed_signers.hpp"
#include "validators/commits/tool_folder.hpp"

namespace pushgate {

class SignerKeys {
 public:
  // Reads the files `rule` names; each must belong to root or `owner` and be
  // writable by nobody else. Errors: ErrorCode::config naming the file and
  // the fix (untrusted, missing, a malformed allowed-signers line).
  static Expected<std::unique_ptr<SignerKeys>> load(const SignatureRule& rule, uid_t owner);

  // The allowed signers, parsed; null when the rule names no such file.
  const AllowedSigners* ssh() const { return m_ssh ? &*m_ssh : nullptr; }
  // Whether the rule names an OpenPGP keyring.
  bool has_keyring() const { return m_tools->has_keyring(); }
  // The private copies for ssh-keygen and gpgv, made when first asked for.
  const ToolFolder& tools() const { return *m_tools; }
  const SignatureRule& rule() const { return m_rule; }

 private:
  explicit SignerKeys(const SignatureRule& rule) : m_rule(rule) {}
  SignatureRule m_rule;
  std::optional<AllowedSigners> m_ssh;
  std::unique_ptr<ToolFolder> m_tools;
};

}  // namespace pushgate
