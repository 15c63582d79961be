#include "validators/commits/signer_keys.hpp"

#include <fmt/format.h>

#include "core/util/trusted_file.hpp"

namespace pushgate {

namespace {

// Keyrings of many keys are larger than configs; still bounded.
constexpr std::size_t k_max_key_file = 16u << 20;

// The text of the key file `path` when `path` is set, nullopt when not.
Expected<std::optional<std::string>> read_key_file(const std::string& path, uid_t owner, const std::string& what) {
  if (path.empty()) return std::optional<std::string>();
  auto read = read_trusted_file(path, {owner}, k_max_key_file);
  if (!read) return read.error();
  if (read->missing)
    return Error{ErrorCode::config, fmt::format("{} '{}' (validate.signatures in pushgate.yaml) does not exist; "
                                                "create it or fix the path",
                                                what, path)};
  return std::optional<std::string>(std::move(read->text));
}

}  // namespace

Expected<std::unique_ptr<SignerKeys>> SignerKeys::load(const SignatureRule& rule, uid_t owner) {
  std::unique_ptr<SignerKeys> keys(new SignerKeys(rule));
  auto signers = read_key_file(rule.allowed_signers, owner, "the allowed-signers file");
  if (!signers) return signers.error();
  if (*signers) {
    auto parsed = AllowedSigners::parse(**signers, rule.allowed_signers);
    if (!parsed) return parsed.error();
    keys->m_ssh = std::move(*parsed);
  }
  auto keyring = read_key_file(rule.keyring, owner, "the keyring");
  if (!keyring) return keyring.error();
  keys->m_tools = std::make_unique<ToolFolder>(std::move(*signers), std::move(*keyring));
  return keys;
}

}  // namespace pushgate
