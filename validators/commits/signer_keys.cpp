#include "validators/commits/signer_keys.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/util/trusted_file.hpp"
#include "core/util/write_all.hpp"

namespace pushgate {

namespace {

// Keyrings of many keys are larger than configs; still bounded.
constexpr std::size_t k_max_key_file = 16u << 20;

Expected<std::string> read_key_file(const std::string& path, uid_t owner, const std::string& what) {
  auto read = read_trusted_file(path, {owner}, k_max_key_file);
  if (!read) return read.error();
  if (read->missing)
    return Error{ErrorCode::config, fmt::format("{} '{}' (validate.signatures in pushgate.yaml) does not exist; "
                                                "create it or fix the path",
                                                what, path)};
  return std::move(read->text);
}

Expected<bool> write_private(const std::filesystem::path& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  bool ok = fd >= 0 && write_all(fd, text);
  if (fd >= 0) ::close(fd);
  if (!ok) return Error{ErrorCode::io, fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno))};
  return true;
}

}  // namespace

Expected<std::unique_ptr<SignerKeys>> SignerKeys::load(const SignatureRule& rule, uid_t owner) {
  std::unique_ptr<SignerKeys> keys(new SignerKeys(rule));
  std::string pattern = (std::filesystem::temp_directory_path() / "pushgate-signers.XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    return Error{ErrorCode::io, fmt::format("cannot make a private folder like '{}': {}", pattern, std::strerror(errno))};
  keys->m_folder = pattern;
  if (::mkdir(keys->gnupg_home().c_str(), 0700) != 0)
    return Error{ErrorCode::io, fmt::format("cannot make '{}': {}", keys->gnupg_home().string(), std::strerror(errno))};
  if (!rule.allowed_signers.empty()) {
    auto text = read_key_file(rule.allowed_signers, owner, "the allowed-signers file");
    if (!text) return text.error();
    auto parsed = AllowedSigners::parse(*text, rule.allowed_signers);
    if (!parsed) return parsed.error();
    keys->m_ssh = std::move(*parsed);
    keys->m_ssh_file = keys->m_folder / "allowed_signers";
    if (auto written = write_private(keys->m_ssh_file, *text); !written) return written.error();
  }
  if (!rule.keyring.empty()) {
    auto text = read_key_file(rule.keyring, owner, "the keyring");
    if (!text) return text.error();
    keys->m_keyring_file = keys->m_folder / "keyring.gpg";
    if (auto written = write_private(keys->m_keyring_file, *text); !written) return written.error();
  }
  return keys;
}

SignerKeys::~SignerKeys() {
  std::error_code ec;
  if (!m_folder.empty()) std::filesystem::remove_all(m_folder, ec);
}

}  // namespace pushgate
