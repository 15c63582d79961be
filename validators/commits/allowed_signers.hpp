#pragma once
// An ssh-keygen allowed-signers file (ssh-keygen(1), ALLOWED SIGNERS; git's
// gpg.ssh.allowedSignersFile): which key may sign as whom, for which
// namespaces, and when. Read here to find the line of a signature's key and
// to say why it does not count (unknown, expired); the signature itself is
// checked in-process (sshsig_verify.hpp), or by `ssh-keygen -Y verify`
// against a private copy of the same file.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"

namespace pushgate {

struct AllowedSigner {
  std::string principals;               // comma-separated patterns, as written
  std::string key;                      // the key blob (base64-decoded)
  std::vector<std::string> namespaces;  // empty: any
  std::optional<std::time_t> valid_after;
  std::optional<std::time_t> valid_before;
  bool cert_authority = false;
  int line = 0;

  // The first principal: what `ssh-keygen -Y verify -I` is given.
  std::string principal() const;
  bool allows_namespace(std::string_view name_space) const;
};

class AllowedSigners {
 public:
  // Parses `text`, the content of the file `path`. Blank lines and `#`
  // comments are skipped. Errors (ErrorCode::config) name path:line of a
  // line that is not `principals [options] keytype base64-key [comment]`.
  static Expected<AllowedSigners> parse(std::string_view text, const std::string& path);

  // The lines for key blob `key`, in file order (pointers into this object):
  // its own lines, or with `authority` the cert-authority lines of a CA key.
  std::vector<const AllowedSigner*> find(std::string_view key, bool authority = false) const;
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
  std::vector<AllowedSigner> m_signers;
};

// A time of an allowed-signers option: YYYYMMDD[HHMM[SS]], UTC with a
// trailing Z, else local time, as ssh-keygen reads it. nullopt when malformed.
std::optional<std::time_t> parse_signer_time(std::string_view text);

}  // namespace pushgate
