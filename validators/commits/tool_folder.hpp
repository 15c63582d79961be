#pragma once
// The private folder that ssh-keygen and gpgv are pointed at: copies of the
// administrator's key files as pushgate read and checked them (so what the
// tools read is exactly what was checked, whoever can write near the
// originals), an empty GnuPG home, and the signature and data files of each
// check. Made on first use only: SSH signatures of the key types checked
// in-process (sshsig_verify.hpp) need no folder and no copy.

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

namespace pushgate {

class ToolFolder {
 public:
  struct Paths {
    std::filesystem::path folder;           // mode 0700, under the temporary folder
    std::filesystem::path allowed_signers;  // the copy; empty when there is no such file
    std::filesystem::path keyring;          // likewise
    std::filesystem::path gnupg_home;       // empty, so gpgv reads no one's own settings or keys
  };

  // The texts to copy, as read; nullopt for a file the rule does not name.
  ToolFolder(std::optional<std::string> allowed_signers, std::optional<std::string> keyring)
      : m_allowed_signers(std::move(allowed_signers)), m_keyring(std::move(keyring)) {}
  // Removes the folder, when it was made.
  ~ToolFolder();
  ToolFolder(const ToolFolder&) = delete;
  ToolFolder& operator=(const ToolFolder&) = delete;

  bool has_keyring() const { return m_keyring.has_value(); }
  // The folder, made with its copies on the first call; callers in several
  // threads get the same one. Throws Failure (ErrorCode::io, naming the path)
  // when it cannot be made; a later call tries again.
  const Paths& paths() const;

 private:
  Paths make() const;

  std::optional<std::string> m_allowed_signers;
  std::optional<std::string> m_keyring;
  mutable std::mutex m_mutex;
  mutable std::optional<Paths> m_paths;
};

}  // namespace pushgate
