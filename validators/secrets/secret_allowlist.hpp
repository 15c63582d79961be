#pragma once
// The administrator's allow-list: fingerprints of accepted findings
// (secret_fingerprint.hpp), one per line, each optionally followed by a
// comment saying why:
//
//     # test fixtures
//     3f1c0b5e9a2d7c4e8b6a1f0d2c3e4b5a   # the AWS key of the docs' example, revoked
//
// It lives on the server, named by `validate.secrets.allowlist` in
// pushgate.yaml, and is trusted like pushgate.yaml itself.

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/config/repo_config.hpp"
#include "core/util/error.hpp"
#include "core/util/trusted_file.hpp"

namespace pushgate::secrets {

class Allowlist {
 public:
  Allowlist() = default;

  // Parses `text`; `file` names it in messages. An Error (ErrorCode::config)
  // lists each line that is no fingerprint as file:line.
  static Expected<Allowlist> parse(std::string_view text, const std::string& file);

  // Reads `file` through read_trusted_file (owned by root or `owners`, not
  // writable by others) and parses it. A missing file is an error too: an
  // allow-list that is named must exist.
  static Expected<Allowlist> load(const std::filesystem::path& file, TrustedOwners owners);

  bool allows(std::string_view fingerprint) const { return m_fingerprints.contains(std::string(fingerprint)); }
  const std::string& file() const { return m_file; }
  std::size_t size() const { return m_fingerprints.size(); }

 private:
  std::string m_file;
  std::set<std::string> m_fingerprints;
};

// The allow-list validate.secrets.allowlist names, loaded as Allowlist::load
// does; nullopt when it names none. Errors as Allowlist::load, prefixed with
// where pushgate.yaml names the file.
Expected<std::optional<Allowlist>> load_allowlist(const SecretScanSettings& settings, TrustedOwners owners);

}  // namespace pushgate::secrets
