#include "validators/commits/ssh_signature.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <optional>

#include "core/util/base64.hpp"

namespace pushgate {

namespace {

constexpr std::string_view k_begin = "-----BEGIN SSH SIGNATURE-----";
constexpr std::string_view k_end = "-----END SSH SIGNATURE-----";
constexpr std::string_view k_magic = "SSHSIG";

// Reads the SSH wire format: big-endian uint32 and length-prefixed strings.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : m_data(data) {}
  std::optional<std::uint32_t> u32() {
    if (m_data.size() < 4) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(m_data[i]);
    m_data.remove_prefix(4);
    return v;
  }
  std::optional<std::string_view> string() {
    auto size = u32();
    if (!size || *size > m_data.size()) return std::nullopt;
    std::string_view out = m_data.substr(0, *size);
    m_data.remove_prefix(*size);
    return out;
  }

 private:
  std::string_view m_data;
};

Error malformed(std::string_view why) {
  return Error{ErrorCode::input, fmt::format("the SSH signature is malformed: {}", why)};
}

}  // namespace

Expected<SshSignatureInfo> parse_ssh_signature(std::string_view armored) {
  std::size_t begin = armored.find(k_begin);
  std::size_t end = armored.find(k_end);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin)
    return malformed("no BEGIN/END SSH SIGNATURE lines");
  std::string_view body = armored.substr(begin + k_begin.size(), end - begin - k_begin.size());
  auto blob = decode_base64(body);
  if (!blob) return malformed("its body is not base64");
  if (!std::string_view(*blob).starts_with(k_magic)) return malformed("it does not start with SSHSIG");
  WireReader in(std::string_view(*blob).substr(k_magic.size()));
  auto version = in.u32();
  auto key = in.string();
  auto name_space = in.string();
  if (!version || !key || !name_space) return malformed("it is cut short");
  if (*version != 1) return malformed(fmt::format("version {} is not 1", *version));
  auto type = WireReader(*key).string();
  if (!type) return malformed("its public key has no type");
  return SshSignatureInfo{std::string(*key), std::string(*type), std::string(*name_space)};
}

std::string describe_ssh_key(const SshSignatureInfo& info) {
  std::string key = encode_base64(info.public_key);
  if (key.size() > 100) key = key.substr(0, 40) + "..." + key.substr(key.size() - 24);
  return fmt::format("{} {}", info.key_type, key);
}

}  // namespace pushgate
